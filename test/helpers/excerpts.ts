// Search queries cut from a fixture: a few lines from inside a known function, so a test knows which chunk
// the stand-in model (which finds text it has seen) must rank first.

import * as assert from 'node:assert/strict';

/** The 1-based lines `skip`..`skip+count-1` after the line containing `signature`, as a query. */
export function linesInside(
  text: string,
  signature: string,
  skip: number,
  count: number,
): { startLine: number; endLine: number; query: string } {
  const lines = text.split('\n');
  const at = lines.findIndex(l => l.includes(signature));
  assert.ok(at >= 0, `fixture lost "${signature}"`);
  const start = at + skip;
  return { startLine: start + 1, endLine: start + count, query: lines.slice(start, start + count).join('\n') };
}
