// Line statistics that tell minified or generated text from source code, whatever the file is called.

/** Lines longer than this are "wide": hand-written code almost never has a majority of them. */
export const WIDE_LINE_CHARS = 300;
/** Default length past which a line is "long" and left out by the chunker. */
export const DEFAULT_MAX_LINE_CHARS = 1000;

export interface LineStats {
  nonBlank: number; // lines with a character other than space, tab, CR, FF or VT
  wide: number; // non-blank lines longer than WIDE_LINE_CHARS
  long: number; // non-blank lines longer than maxLineChars
}

function isBlankChar(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

/** One pass over the text by index: no array of line strings, so a 1 MB file costs about a millisecond. */
export function lineStats(text: string, maxLineChars = DEFAULT_MAX_LINE_CHARS): LineStats {
  const stats: LineStats = { nonBlank: 0, wide: 0, long: 0 };
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    let i = start;
    while (i < end && isBlankChar(text.charCodeAt(i))) i++;
    if (i < end) {
      const len = end - start;
      stats.nonBlank++;
      if (len > WIDE_LINE_CHARS) stats.wide++;
      if (len > maxLineChars) stats.long++;
    }
    start = next;
  }
  return stats;
}

/**
 * Minified when either holds:
 * - at least 10% of non-blank lines are long (> maxLineChars). A bundle is one or a few huge lines, perhaps
 *   after a license header; even a 9-line header leaves it at 10%. A source file with one embedded
 *   1,000,000-character constant among 50 ordinary lines stays at 2%, so it is indexed and the chunker
 *   leaves out just that line. Counting lines rather than characters is what keeps that file: by
 *   characters it would be 99% long.
 * - more than half the non-blank lines are wide (> 300 chars), i.e. the median line is wide. This catches
 *   generated tables and code re-wrapped at a few hundred columns, whose lines never reach maxLineChars.
 *   Source code's median line is 20-60 chars; even a tenth of lines at 150-250 chars moves it nowhere near.
 */
export function isMinified(stats: LineStats): boolean {
  if (stats.nonBlank === 0) return false;
  return (stats.long > 0 && stats.long >= 0.1 * stats.nonBlank) || stats.wide * 2 > stats.nonBlank;
}

export function looksMinified(text: string, maxLineChars = DEFAULT_MAX_LINE_CHARS): boolean {
  return isMinified(lineStats(text, maxLineChars));
}

/** The skip detail for a minified file, naming the rule that fired. */
export function minifiedDetail(stats: LineStats, maxLineChars: number): string {
  const counted =
    stats.long > 0 && stats.long >= 0.1 * stats.nonBlank
      ? `${stats.long} of ${stats.nonBlank} lines over ${maxLineChars} characters`
      : `${stats.wide} of ${stats.nonBlank} lines over ${WIDE_LINE_CHARS} characters`;
  return `Its lines are far longer than source code's (${counted}), so it looks minified or generated.`;
}
