// Cuts a line range into windows that fit the token budget. Windows start and end on lines with content;
// a line that alone exceeds the budget comes back as a one-line window for tokenBudget.ts to cut.

import type { FileLines } from './fileLines';

export interface LineRange {
  start: number;
  end: number;
}

export interface WindowOptions {
  /** Content tokens per window (the budget minus [CLS]/[SEP]). */
  budget: number;
  /** Repeat up to this many trailing lines at the start of the next window (plain text, where a split
   *  can fall mid-paragraph). 0 for code, which is split at declarations already. */
  overlapLines: number;
  /** Overlap is also bounded by this share of the budget. */
  overlapShare: number;
  /** Spread tokens evenly over the windows instead of filling each one, so a function just over budget
   *  splits into halves rather than into a full window and a scrap. */
  balance: boolean;
}

export const CODE_WINDOWS = { overlapLines: 0, overlapShare: 0, balance: true };
export const TEXT_WINDOWS = { overlapLines: 3, overlapShare: 0.15, balance: false };

export function lineWindows(lines: FileLines, a: number, b: number, opts: WindowOptions): LineRange[] {
  const out: LineRange[] = [];
  let i = lines.nextContent(a, b);
  if (i < 0) return out;
  const total = lines.tokens(i, b);
  const target = opts.balance ? Math.ceil(total / Math.ceil(total / opts.budget)) : opts.budget;
  while (i >= 0) {
    const end = windowEnd(lines, i, b, opts.budget, target);
    out.push({ start: i, end });
    const next = lines.nextContent(end + 1, b);
    if (next < 0) break;
    i = overlapStart(lines, i, end, next, opts);
  }
  return out;
}

/** Extends a window from line i while the next line fits and the target is not yet reached. */
function windowEnd(lines: FileLines, i: number, b: number, budget: number, target: number): number {
  let sum = lines.lineTokens(i);
  if (sum > budget) return i;
  let end = i;
  for (let j = i + 1; j <= b && sum < target; j++) {
    const t = lines.lineTokens(j);
    if (sum + t > budget) break;
    sum += t;
    if (t > 0) end = j;
  }
  return end;
}

/** Where the window after [start, end] begins: `next` (the next line with content), or a few lines earlier
 *  when overlapping, as long as the overlap leaves room for `next` itself. */
function overlapStart(lines: FileLines, start: number, end: number, next: number, opts: WindowOptions): number {
  const cap = Math.min(opts.budget * opts.overlapShare, opts.budget - lines.lineTokens(next));
  let from = next;
  let kept = 0;
  let tokens = 0;
  for (let j = end; j > start && kept < opts.overlapLines; j--) {
    const t = lines.lineTokens(j);
    if (t === 0) continue;
    if (tokens + t > cap) break;
    tokens += t;
    kept++;
    from = j;
  }
  return from;
}
