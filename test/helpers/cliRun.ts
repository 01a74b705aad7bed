// The built CLI (dist/cli.js) as tests run it: a child process with the stand-in model, its exit code and
// output collected (never thrown).

import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, standinModelsDir } from './standin';

export const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

export interface CliRun { code: number; stdout: string; stderr: string }

/** Where a run without --store keeps its index unless the test gives its own SEMSEARCH_CACHE_DIR: never the real home. */
export const TEST_CACHE_DIR = path.join(os.tmpdir(), 'semsearch-test-cache');

/** The stand-in model and the test cache folder, plus `extra`; never a download base URL, so nothing can be fetched. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env, SEMSEARCH_MODEL_DIR: standinModelsDir(), SEMSEARCH_MODEL: process.env.SEMSEARCH_MODEL || 'minilm-standin',
    SEMSEARCH_CACHE_DIR: TEST_CACHE_DIR, ...extra,
  };
  delete env.SEMSEARCH_MODEL_BASE_URL;
  return env;
}

/** Runs `semsearch <args>` to its end; a non-zero exit is a result, not an error. */
export function runCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; input?: string; cwd?: string } = {}): Promise<CliRun> {
  return new Promise(resolve => {
    const child = execFile(process.execPath, [CLI, ...args], { env: cliEnv(opts.env), cwd: opts.cwd, maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end(opts.input ?? '');
  });
}

export function lastLine(s: string): string {
  const lines = s.trimEnd().split('\n');
  return lines[lines.length - 1];
}
