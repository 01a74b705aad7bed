// Issue 4's figures: an unchanged re-run, and one function appended to one file (re-embeds a handful of
// chunks, then is found by search). The corpus file is restored afterwards, so the cached corpus stays as it was.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IndexSummary } from '../server/src/engine/engine';

export interface IncrementalFigures {
  unchanged: { seconds: number; embedded: number; chunks: number };
  oneEdit: { seconds: number; embedded: number; reused: number; chunks: number; foundAt: number };
}

export const EDITED_FILE = path.join('lodash', 'chunk.js');
const APPENDED = `
/** Interleaves the elements of two arrays, starting with the first; leftovers are appended. */
function interleaveBenchmarkArrays(first, second) {
  const out = [];
  for (let i = 0; i < Math.max(first.length, second.length); i++) {
    if (i < first.length) out.push(first[i]);
    if (i < second.length) out.push(second[i]);
  }
  return out;
}
`;

export function incrementalFigures(cli: (args: string[]) => string, corpus: string, storeDir: string): IncrementalFigures {
  const index = (): IndexSummary =>
    JSON.parse(cli(['index', corpus, '--store', storeDir, '--json']).trim().split('\n').pop()!) as IndexSummary;
  const unchanged = index();
  const file = path.join(corpus, EDITED_FILE);
  const original = fs.readFileSync(file);
  try {
    fs.appendFileSync(file, APPENDED);
    const edited = index();
    const query = APPENDED.split('\n').slice(3, 7).join('\n');
    const hits = JSON.parse(cli(['search', query, '--store', storeDir, '-k', '10', '--json'])) as { path: string; symbol: string }[];
    const foundAt =
      hits.findIndex(h => h.path === EDITED_FILE.split(path.sep).join('/') && h.symbol.includes('interleaveBenchmarkArrays')) + 1;
    return {
      unchanged: { seconds: unchanged.seconds, embedded: unchanged.embedded, chunks: unchanged.chunks },
      oneEdit: { seconds: edited.seconds, embedded: edited.embedded, reused: edited.reused, chunks: edited.chunks, foundAt },
    };
  } finally {
    fs.writeFileSync(file, original);
  }
}

export function cliRunner(root: string, env: NodeJS.ProcessEnv): (args: string[], extraEnv?: NodeJS.ProcessEnv) => string {
  return (args, extraEnv) =>
    execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], {
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
}
