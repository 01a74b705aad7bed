// Turns line windows into pieces that fit the budget, cutting a line that alone exceeds it into pieces of
// text whose token counts were checked with the tokenizer (a cut inside a word changes its tokens).

import type { LineTokenizer } from '../model/tokenizer';
import type { FileLines } from './fileLines';
import { lineWindows, type WindowOptions } from './lineWindows';
import type { Piece } from './pieces';

/** Pieces covering lines a..b, all within opts.budget content tokens. */
export function windowPieces(
  lines: FileLines,
  tok: LineTokenizer,
  a: number,
  b: number,
  label: { symbol: string; kind: string },
  opts: WindowOptions,
): Piece[] {
  const out: Piece[] = [];
  for (const w of lineWindows(lines, a, b, opts)) {
    if (lines.tokens(w.start, w.end) <= opts.budget) {
      out.push({ start: w.start, end: w.end, ...label });
      continue;
    }
    for (const cut of cutLine(lines.lines[w.start], tok, opts.budget)) out.push({ start: w.start, end: w.start, ...label, cut });
  }
  return out;
}

/** Consecutive cuts of a line, each within budget tokens; whitespace-only cuts are skipped. */
export function cutLine(line: string, tok: LineTokenizer, budget: number): { text: string; ids: Int32Array }[] {
  const out: { text: string; ids: Int32Array }[] = [];
  let rest = line;
  while (rest.trim() !== '') {
    const whole = tok.encodeLine(rest);
    if (whole.length <= budget) {
      out.push({ text: rest, ids: whole });
      break;
    }
    const piece = fittingPrefix(rest, tok, budget, whole.length);
    if (!piece) break; // not even one character fits: nothing more can be kept within budget
    if (piece.ids.length > 0) out.push(piece);
    rest = rest.slice(piece.text.length);
  }
  return out;
}

/** The longest prefix found (by shrinking an estimate) that encodes within budget, preferring a whitespace cut. */
function fittingPrefix(text: string, tok: LineTokenizer, budget: number, tokens: number): { text: string; ids: Int32Array } | null {
  let len = Math.max(1, Math.floor(((text.length * budget) / tokens) * 0.95));
  for (;;) {
    const cut = snapCut(text, len);
    const ids = tok.encodeLine(text.slice(0, cut));
    if (ids.length <= budget) return { text: text.slice(0, cut), ids };
    if (len === 1) return null;
    len = Math.max(1, Math.min(len - 1, Math.floor(((len * budget) / ids.length) * 0.95)));
  }
}

/** A cut at or before len: after the last whitespace in the second half, never between surrogate halves. */
function snapCut(text: string, len: number): number {
  const space = text.lastIndexOf(' ', len - 1);
  let cut = space >= len / 2 ? space + 1 : len;
  const code = text.charCodeAt(cut - 1);
  if (cut > 1 && code >= 0xd800 && code <= 0xdbff) cut--;
  return cut;
}
