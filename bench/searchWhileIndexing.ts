// Search latency while a cold index is being built, in process, the way the language server answers a
// Quick Pick during indexing: rounds of concurrent queries (query embedding included) go through the same
// embedder pool as the index batches and search the live, growing store. A separate run from the cold one,
// so the searches' cost shows neither in the throughput ratio nor in the scaling figures.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineSettings } from '../common/settings';
import { Engine } from '../server/src/engine/engine';
import { median, percentile } from './stats';

export interface SearchWhileIndexing {
  rounds: number;
  perRound: number;
  searches: number;
  p50ms: number;
  p99ms: number;
  /** Chunks in the store when the first and the last round started. */
  chunksAtFirstRound: number;
  chunksAtLastRound: number;
  chunks: number;
  indexSeconds: number;
  indexTokensPerSecond: number;
}

/** A few lines from the middle of evenly spread files: queries that resemble what a user pastes. */
export function queriesFrom(root: string, files: string[], count: number): string[] {
  const step = Math.max(1, Math.floor(files.length / count));
  const out: string[] = [];
  for (let i = 0; i < files.length && out.length < count; i += step) {
    const lines = fs
      .readFileSync(path.join(root, ...files[i].split('/')), 'utf8')
      .split('\n')
      .map(l => l.trim())
      .filter(l => l.length > 8);
    const mid = Math.floor(lines.length / 2);
    const q = lines.slice(mid, mid + 3).join('\n');
    if (q.length > 10) out.push(q);
  }
  return out;
}

export async function searchWhileIndexing(
  root: string,
  storeDir: string,
  settings: EngineSettings,
  queries: string[],
  perRound = 50,
  roundEveryMs = 2000,
): Promise<SearchWhileIndexing> {
  fs.rmSync(storeDir, { recursive: true, force: true });
  const engine = await Engine.open({ settings });
  try {
    const folder = engine.folder(root, storeDir, false);
    let done = false;
    const run = folder.index().finally(() => {
      done = true;
    });
    const latencies: number[] = [];
    let rounds = 0,
      chunksAtFirstRound = 0,
      chunksAtLastRound = 0;
    const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));
    while (!done) {
      // Until the first chunks are stored there is nothing to search: the pool is still starting.
      if (folder.chunks === 0) {
        await sleep(100);
        continue;
      }
      const started = performance.now();
      if (rounds === 0) chunksAtFirstRound = folder.chunks;
      chunksAtLastRound = folder.chunks;
      await Promise.all(
        Array.from({ length: perRound }, async (_, i) => {
          const q = queries[(rounds * perRound + i) % queries.length];
          const t0 = performance.now();
          await folder.search(engine.query(q, { k: 10, mode: 'hybrid' }));
          latencies.push(performance.now() - t0);
        }),
      );
      rounds++;
      await Promise.race([run, sleep(Math.max(0, roundEveryMs - (performance.now() - started)))]);
    }
    const summary = await run;
    const r = (n: number) => Math.round(n * 10) / 10;
    return {
      rounds,
      perRound,
      searches: latencies.length,
      p50ms: r(median(latencies)),
      p99ms: r(percentile(latencies, 99)),
      chunksAtFirstRound,
      chunksAtLastRound,
      chunks: summary.chunks,
      indexSeconds: summary.seconds,
      indexTokensPerSecond: summary.tokensPerSecond,
    };
  } finally {
    await engine.dispose();
  }
}
