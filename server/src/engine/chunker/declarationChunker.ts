// Declarations -> pieces within the token budget. A declaration that fits is one piece. One that does not is
// split at its inner declarations (a class into "Class.method" pieces, with the header and fields between
// them as windows labelled "Class"), recursively; one without inner declarations is cut into line windows
// that keep its symbol and kind. Code between declarations becomes 'lines' windows.

import type { LineTokenizer } from '../model/tokenizer';
import type { Decl } from './declarations';
import type { FileLines } from './fileLines';
import { CODE_WINDOWS, type WindowOptions } from './lineWindows';
import type { Piece } from './pieces';
import { windowPieces } from './tokenBudget';

const TOP_LEVEL = { symbol: '', kind: 'lines' };

export function declarationPieces(decls: Decl[], lines: FileLines, tok: LineTokenizer, budget: number): Piece[] {
  const out: Piece[] = [];
  const opts: WindowOptions = { budget, ...CODE_WINDOWS };
  emitRegion(0, lines.count - 1, decls, TOP_LEVEL, { lines, tok, opts, out });
  return out;
}

interface Ctx {
  lines: FileLines;
  tok: LineTokenizer;
  opts: WindowOptions;
  out: Piece[];
}

/** Lines a..b holding the given declarations (in order, inside a..b); the lines between them get `gapLabel`. */
function emitRegion(a: number, b: number, decls: Decl[], gapLabel: { symbol: string; kind: string }, ctx: Ctx): void {
  let cursor = a;
  for (const d of decls) {
    if (d.start > cursor) ctx.out.push(...windowPieces(ctx.lines, ctx.tok, cursor, d.start - 1, gapLabel, ctx.opts));
    emitDecl(d, ctx);
    cursor = d.end + 1;
  }
  if (cursor <= b) ctx.out.push(...windowPieces(ctx.lines, ctx.tok, cursor, b, gapLabel, ctx.opts));
}

function emitDecl(d: Decl, ctx: Ctx): void {
  const label = { symbol: d.symbol, kind: d.kind };
  const first = ctx.lines.nextContent(d.start, d.end);
  if (first < 0) return; // only blank or omitted lines
  const last = ctx.lines.prevContent(d.end, first);
  if (ctx.lines.tokens(first, last) <= ctx.opts.budget) ctx.out.push({ start: first, end: last, ...label });
  else if (d.children.length > 0) emitRegion(d.start, d.end, d.children, label, ctx);
  else ctx.out.push(...windowPieces(ctx.lines, ctx.tok, d.start, d.end, label, ctx.opts));
}
