// Search over a cold-built store: latency per mode through the one search path (Engine -> FolderIndex.search,
// as the CLI and the server run it), recall@10 of the vector side against an exact scan, and what searching
// costs in memory. It runs in ONE child process, this same bundle started again with SEARCH_PROBE_ARG (no
// build entry of its own needed), so its RSS and heap are its own: neither the benchmark's bookkeeping nor
// an earlier scale's garbage, and not one process start per query as `semsearch search` would cost.

import { recallOf, RecallSearch } from '../recall';
import { fork } from 'node:child_process';
import { DEFAULT_SETTINGS } from '../../common/settings';
import { Engine } from '../../server/src/engine/engine';
import { SEARCH_MODES, SearchMode } from '../../server/src/engine/search/query';
import { readStore } from '../../server/src/engine/store/storeFolder';
import { watchTree } from '../procTree';
import { median, percentile } from '../stats';
import { DEFAULT_MODEL_ENV } from './scaleRun';

export const SEARCH_PROBE_ARG = '--search-probe';

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const MB = (bytes: number) => Math.round(bytes / 1048576);

export interface SearchFigures {
  queries: number;
  identifierQueries: number;
  byMode: Record<SearchMode, { p50ms: number; p99ms: number; meanHits: number }>;
  recallAt10: number;
  recallQueries: number;
  recallSeconds: number;
  /** The search process alone: after the engine and the saved index loaded, and at the end of the latency runs. */
  memory: { loadSeconds: number; rssAfterLoadMB: number; heapAfterLoadMB: number; peakRssSearchingMB: number; heapAfterSearchesMB: number };
  /** Its whole tree sampled from outside, recall's second copy of the store included. */
  peakTreeMB: number;
}

/**
 * The store the recall check reads, opened apart from FolderIndex (which does not expose its own): the one
 * place that names it.
 */
function openRecallStore(storeDir: string): RecallSearch {
  return readStore(storeDir);
}

function heap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** The child's side: everything measured in this process, which does nothing else. */
async function probe(
  storeDir: string,
  queries: string[],
  recallQueries: number,
): Promise<Omit<SearchFigures, 'peakTreeMB' | 'identifierQueries'>> {
  const t0 = performance.now();
  // The settings the CLI has with DEFAULT_MODEL_ENV: the defaults, the built-in model.
  const engine = await Engine.open({ settings: { ...DEFAULT_SETTINGS } });
  try {
    const folder = engine.savedFolder(storeDir);
    const run = (q: string, mode: SearchMode) => folder.search(engine.query(q, { k: 10, mode }, folder.queryTokens, 1));
    await run(queries[0], 'hybrid'); // whatever loads lazily on the first search (the lexical index, the model) loads here
    const loadSeconds = round((performance.now() - t0) / 1000, 2);
    const heapAfterLoad = heap();
    const rssAfterLoad = process.memoryUsage().rss;

    const byMode = {} as SearchFigures['byMode'];
    for (const mode of SEARCH_MODES) {
      const latencies: number[] = [];
      let hits = 0;
      for (const q of queries) {
        const t1 = performance.now();
        hits += (await run(q, mode)).length;
        latencies.push(performance.now() - t1);
      }
      byMode[mode] = { p50ms: round(median(latencies)), p99ms: round(percentile(latencies, 99)), meanHits: round(hits / queries.length) };
    }
    // maxRSS is the process's high-water mark (KiB): every search's transient allocations included.
    const peakRssSearching = process.resourceUsage().maxRSS * 1024;
    const heapAfterSearches = heap();

    const t2 = performance.now();
    const store = openRecallStore(storeDir);
    let agree = 0,
      total = 0;
    for (const q of queries.slice(0, recallQueries)) {
      const v = await engine.embed(q, folder.queryTokens, 1);
      const r = await recallOf(store, v);
      agree += r.agree;
      total += r.total;
    }
    return {
      queries: queries.length,
      byMode,
      recallAt10: total ? round(agree / total, 3) : NaN,
      recallQueries: Math.min(recallQueries, queries.length),
      recallSeconds: round((performance.now() - t2) / 1000, 1),
      memory: {
        loadSeconds,
        rssAfterLoadMB: MB(rssAfterLoad),
        heapAfterLoadMB: MB(heapAfterLoad),
        peakRssSearchingMB: MB(peakRssSearching),
        heapAfterSearchesMB: MB(heapAfterSearches),
      },
    };
  } finally {
    await engine.dispose();
  }
}

/** Entry of the child started by searchFigures: one request over IPC, one answer, then exit. */
export function serveSearchProbe(): void {
  process.once('message', (msg: { storeDir: string; queries: string[]; recallQueries: number }) => {
    probe(msg.storeDir, msg.queries, msg.recallQueries).then(
      figures => process.send!({ figures }, () => process.exit(0)),
      (e: Error) => process.send!({ error: e.message.split('\n')[0] }, () => process.exit(1)),
    );
  });
}

/**
 * Runs the probe in a child (this bundle again, with --expose-gc so heap figures are after a collection).
 * Recall uses the first `recallQueries` queries: an exact scan of a kernel-sized store costs seconds a query.
 */
export function searchFigures(
  storeDir: string,
  queries: { queries: string[]; identifiers: number },
  recallQueries = queries.queries.length,
): Promise<SearchFigures> {
  if (queries.queries.length === 0)
    return Promise.reject(
      new Error("no queries could be drawn from the corpus's .c/.h files; use a larger scale (a smaller BENCH_SCALES denominator)."),
    );
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1], [SEARCH_PROBE_ARG], {
      execArgv: ['--expose-gc'],
      env: { ...process.env, ...DEFAULT_MODEL_ENV },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const watch = watchTree(child.pid!, 250);
    let answer: { figures?: Omit<SearchFigures, 'peakTreeMB' | 'identifierQueries'>; error?: string } | undefined;
    child.on('message', m => {
      answer = m as typeof answer;
    });
    child.on('error', e => {
      watch.stop();
      reject(e);
    });
    child.on('exit', code => {
      const peakTreeMB = MB(watch.stop().peakBytes);
      if (answer?.figures) resolve({ ...answer.figures, identifierQueries: queries.identifiers, peakTreeMB });
      else reject(new Error(`the search probe failed (exit ${code}): ${answer?.error ?? 'no answer; see its stderr above'}`));
    });
    child.send({ storeDir, queries: queries.queries, recallQueries });
  });
}
