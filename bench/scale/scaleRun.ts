// The CLI runs of the scale benchmark, each in a child process the way a user runs it, with the default
// (embedded static) model, and the whole process tree's RSS sampled from outside every 250 ms.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IndexSummary } from '../../server/src/engine/engine';
import { watchTree } from '../procTree';

/** The default model, as bench/bench.ts's DEFAULT_MODEL_ENV: no stand-in, no models folder. */
export const DEFAULT_MODEL_ENV = { SEMSEARCH_MODEL_DIR: '', SEMSEARCH_MODEL: '' };

/** The summary as it may be: `longestStallMs` is being added to IndexSummary, so it is read as optional. */
export type RunSummary = IndexSummary & { longestStallMs?: number };

export interface CliRun {
  summary: RunSummary;
  /** Peak RSS of the CLI and every process it started, MB (MiB). */
  peakTreeMB: number;
  /** The child's wall-clock time, start-up and store load included: what the user waits. */
  wallSeconds: number;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** Runs `node dist/cli.js ...args` and resolves with its stdout; rejects with a one-line reason. */
function cli(root: string, args: string[], onStart?: (pid: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(root, 'dist', 'cli.js'), ...args],
      {
        env: { ...process.env, ...DEFAULT_MODEL_ENV },
        maxBuffer: 256 << 20,
      },
      (err, stdout, stderr) => {
        if (err) {
          // The CLI's own last words say what went wrong; progress lines before them do not.
          const last = stderr.trim().split('\n').filter(Boolean).pop() ?? err.message;
          reject(new Error(`semsearch ${args[0]} failed (exit ${err.code ?? err.signal}): ${last}`));
          return;
        }
        resolve(stdout);
      },
    );
    onStart?.(child.pid!);
  });
}

/** `semsearch index root --store storeDir --json`: the summary is the last stdout line. */
export async function indexRun(repoRoot: string, corpus: string, storeDir: string): Promise<CliRun> {
  let watch: ReturnType<typeof watchTree> | undefined;
  const t0 = performance.now();
  try {
    const stdout = await cli(repoRoot, ['index', corpus, '--store', storeDir, '--json'], pid => {
      watch = watchTree(pid, 250);
    });
    const wallSeconds = round((performance.now() - t0) / 1000);
    const peak = watch!.stop().peakBytes;
    const last = stdout.trim().split('\n').pop() ?? '';
    let summary: RunSummary;
    try {
      summary = JSON.parse(last) as RunSummary;
    } catch {
      throw new Error(
        `semsearch index printed no JSON summary as its last line (got ${JSON.stringify(last.slice(0, 80))}); check the CLI's --json output.`,
      );
    }
    return { summary, peakTreeMB: Math.round(peak / 1048576), wallSeconds };
  } finally {
    watch?.stop();
  }
}

/** A cold run: the store folder removed first, so nothing is reused. */
export function coldRun(repoRoot: string, corpus: string, storeDir: string): Promise<CliRun> {
  fs.rmSync(storeDir, { recursive: true, force: true });
  return indexRun(repoRoot, corpus, storeDir);
}

/** Where the appended function ranks for `query` (1-based; 0: not in the top 10), through the CLI. */
export async function rankOf(repoRoot: string, storeDir: string, query: string, relPath: string, symbol: string): Promise<number> {
  const stdout = await cli(repoRoot, ['search', query, '--store', storeDir, '-k', '10', '--json']);
  const hits = JSON.parse(stdout) as { path: string; symbol: string }[];
  return hits.findIndex(h => h.path === relPath && h.symbol.includes(symbol)) + 1;
}
