// The "three lines cut from the middle of a source file" queries: for a spread of indexed files, the three
// non-blank lines at the middle of the file, as a user pastes them.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileReport } from '../../server/src/engine/types';

const CODE = /\.(js|mjs|cjs|jsx|ts|tsx|py|go|rs|java|c|h|cc|cpp|hpp|cs)$/;

export function middleLines(root: string, files: FileReport[], count: number): { file: string; query: string }[] {
  const code = files
    .filter(f => f.status === 'indexed' && f.chunks > 0 && CODE.test(f.path))
    .map(f => f.path)
    .sort();
  const step = Math.max(1, code.length / count);
  const out: { file: string; query: string }[] = [];
  for (let i = 0; i < code.length && out.length < count; i += step) {
    const file = code[Math.floor(i)];
    const lines = fs
      .readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .filter(l => l.trim() !== '');
    if (lines.length < 3) continue;
    const mid = Math.floor(lines.length / 2) - 1;
    out.push({ file, query: lines.slice(mid, mid + 3).join('\n') });
  }
  return out;
}
