// A piece is a chunk before its text and ids are materialized: a line range with a symbol and kind, or, for
// a line that alone exceeds the budget, one cut of that line.

import type { Chunk } from '../types';
import { withSpecialTokens, type LineTokenizer } from '../model/tokenizer';
import type { FileLines } from './fileLines';

export interface Piece {
  start: number; // 0-based rows, inclusive
  end: number;
  symbol: string;
  kind: string;
  /** Set when the piece is a cut of one over-long line: its own text and ids. */
  cut?: { text: string; ids: Int32Array };
}

/** Fewer content tokens than this make a chunk worth nothing on its own ("}", "end"). */
export const MIN_CONTENT_TOKENS = 3;

function contentTokens(p: Piece, lines: FileLines): number {
  return p.cut ? p.cut.ids.length : lines.tokens(p.start, p.end);
}

/** Folds pieces under MIN_CONTENT_TOKENS into the previous (else next) whole-line piece when the result
 *  still fits; drops them otherwise. Pieces are in file order and only blank or omitted lines lie between
 *  neighbours, so a merged range takes in nothing that belongs to another chunk. */
export function mergeTinyPieces(input: readonly Piece[], lines: FileLines, budget: number): Piece[] {
  const pieces = input.slice();
  const out: Piece[] = [];
  const min = Math.min(MIN_CONTENT_TOKENS, budget); // an absurdly small budget still yields chunks
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k];
    if (contentTokens(p, lines) >= min) {
      out.push(p);
      continue;
    }
    if (p.cut) continue; // the scrap end of a cut line
    const prev = out[out.length - 1];
    if (prev && !prev.cut && prev.end < p.start && lines.tokens(prev.start, p.end) <= budget) {
      out[out.length - 1] = { ...prev, end: p.end };
      continue;
    }
    const next = pieces[k + 1];
    if (next && !next.cut && p.end < next.start && lines.tokens(p.start, next.end) <= budget) {
      pieces[k + 1] = { ...next, start: p.start };
    }
  }
  return out;
}

export function toChunk(p: Piece, path: string, lines: FileLines, tok: LineTokenizer): Chunk {
  return {
    path,
    startLine: p.start + 1,
    endLine: p.end + 1,
    symbol: p.symbol,
    kind: p.kind,
    text: p.cut ? p.cut.text : lines.text(p.start, p.end),
    ids: withSpecialTokens(tok, p.cut ? [p.cut.ids] : lines.idsRange(p.start, p.end)),
  };
}
