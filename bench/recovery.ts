// Issue 4's recovery figures, on one package of the corpus (lodash, ~3,300 chunks) to keep the run short:
// a cold index killed with SIGKILL after its first checkpoint, then re-run, against an uninterrupted run;
// and a store file truncated, then re-run (rebuilt, with the reason).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IndexSummary } from '../server/src/engine/engine';

type Cli = (args: string[], env?: NodeJS.ProcessEnv) => string;

export interface RecoveryFigures {
  uninterrupted: { seconds: number; chunks: number };
  killedAfterSeconds: number;
  resumed: { seconds: number; chunks: number; embedded: number; sameChunksPerFile: boolean };
  corrupted: { rebuilt: string; chunks: number; seconds: number };
}

const chunksPerFile = (cli: Cli, store: string): string =>
  JSON.stringify(
    (JSON.parse(cli(['files', '--store', store, '--json'])) as { path: string; chunks: number }[]).map(f => [f.path, f.chunks]),
  );

function index(cli: Cli, root: string, store: string): IndexSummary & { rebuilt?: string } {
  return JSON.parse(cli(['index', root, '--store', store, '--json']).trim().split('\n').pop()!);
}

/** Starts a cold index and SIGKILLs it as soon as its first checkpoint (the manifest) is on disk. */
async function killAfterFirstCheckpoint(cliPath: string, root: string, store: string, env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cliPath, 'index', root, '--store', store], {
    env: { ...env, SEMSEARCH_CHECKPOINT_MS: '5000' },
    stdio: 'ignore',
  });
  const exited = new Promise<void>(r => child.once('exit', () => r()));
  const manifest = path.join(store, 'manifest.json');
  const deadline = Date.now() + 300_000;
  while (!fs.existsSync(manifest)) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('no checkpoint within 300 s');
    }
    await new Promise(r => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  await exited;
  return Math.round((performance.now() - t0) / 100) / 10;
}

export async function recoveryFigures(
  cli: Cli,
  cliPath: string,
  root: string,
  benchDir: string,
  env: NodeJS.ProcessEnv,
): Promise<RecoveryFigures> {
  const whole = path.join(benchDir, 'store-whole'),
    killed = path.join(benchDir, 'store-killed');
  for (const d of [whole, killed]) fs.rmSync(d, { recursive: true, force: true });
  const a = index(cli, root, whole);
  const killedAfterSeconds = await killAfterFirstCheckpoint(cliPath, root, killed, env);
  const b = index(cli, root, killed);
  const sameChunksPerFile = chunksPerFile(cli, whole) === chunksPerFile(cli, killed);
  const graph = path.join(
    whole,
    fs
      .readdirSync(whole)
      .filter(f => f.endsWith('.usearch'))
      .sort()[0],
  );
  fs.truncateSync(graph, Math.floor(fs.statSync(graph).size / 2));
  const c = index(cli, root, whole);
  return {
    uninterrupted: { seconds: a.seconds, chunks: a.chunks },
    killedAfterSeconds,
    resumed: { seconds: b.seconds, chunks: b.chunks, embedded: b.embedded, sameChunksPerFile },
    corrupted: { rebuilt: c.rebuilt ?? '(not detected)', chunks: c.chunks, seconds: c.seconds },
  };
}
