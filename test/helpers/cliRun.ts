// The built CLI (dist/cli.js) as tests run it: a child process with the stand-in model, its exit code and
// output collected (never thrown); or started, to be waited on line by line and signalled.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, standinModelsDir } from './standin';

export const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where a run without --store keeps its index unless the test gives its own SEMSEARCH_CACHE_DIR: never the real home. */
export const TEST_CACHE_DIR = path.join(os.tmpdir(), 'semsearch-test-cache');

/** The stand-in model and the test cache folder, plus `extra`; never a download base URL, so nothing can be fetched. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEMSEARCH_MODEL_DIR: standinModelsDir(),
    SEMSEARCH_MODEL: process.env.SEMSEARCH_MODEL || 'minilm-standin',
    SEMSEARCH_CACHE_DIR: TEST_CACHE_DIR,
    ...extra,
  };
  delete env.SEMSEARCH_MODEL_BASE_URL;
  return env;
}

/** Runs `semsearch <args>` to its end; a non-zero exit is a result, not an error. */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs?: number; input?: string; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise(resolve => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: cliEnv(opts.env), cwd: opts.cwd, maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

export function lastLine(s: string): string {
  const lines = s.trimEnd().split('\n');
  return lines[lines.length - 1];
}

/** A CLI run in progress: its output so far, a wait on a stderr line (never a sleep), and its end. */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stderr line (past or future) that `test` accepts; rejects at the timeout or if the run ends first. */
  waitForLine(test: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** The exit code, or the signal that killed it. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv(opts.env), cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const lines: string[] = [];
  let partial = '';
  child.stdout!.on('data', d => {
    out += String(d);
  });
  child.stderr!.on('data', d => {
    err += String(d);
    const parts = (partial + String(d)).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter(w => w.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    ended,
    waitForLine(test, timeoutMs = 60_000) {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such stderr line within ${timeoutMs} ms; stderr:\n${err}`)), timeoutMs);
        const done = (line: string) => {
          clearTimeout(timer);
          resolve(line);
        };
        waiters.push({ test, resolve: done });
        void ended.then(e => {
          clearTimeout(timer);
          reject(new Error(`the CLI ended (${e.code ?? e.signal}) before the line came; stderr:\n${err}`));
        });
      });
    },
  };
}
