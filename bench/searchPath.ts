// Search through the one search path (Engine -> FolderIndex.search), as the CLI and the server run it: per
// mode, one query at a time (query embedding included) and all at once; HNSW recall@10 against an exact scan.
// And the same path over a 100k-chunk store built in process from the corpus's real chunk texts (copies of
// the corpus under copyN/ folders) with random vectors: what the lexical index costs in memory and on disk,
// and search latency at that size.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EngineSettings } from '../common/settings';
import { Engine } from '../server/src/engine/engine';
import { DEFAULT_TERM_OPTIONS } from '../server/src/engine/lexical/codeTerms';
import { LexicalBuilder } from '../server/src/engine/lexical/lexicalBuilder';
import type { LineTokenizer } from '../server/src/engine/model/tokenizer';
import { SEARCH_MODES, SearchMode } from '../server/src/engine/search/query';
import { searchChunkSegments } from '../server/src/engine/search/searcher';
import { readManifest, readStore } from '../server/src/engine/store/storeFolder';
import { ChunkSegments } from '../server/src/engine/store/chunkSegments';
import { recallOf } from './recall';
import { corpusChunks } from './sampleChunks';
import { median, percentile } from './stats';

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export type ModeLatency = Record<SearchMode, { p50ms: number; p99ms: number }>;

export interface SearchFigures {
  queries: number;
  vectors: number;
  recallAt10: number;
  /** Hybrid, one at a time (the default mode): the headline figure. */
  p50ms: number;
  p99ms: number;
  byMode: ModeLatency;
  concurrentP50ms: number;
  concurrentP99ms: number;
}

/** Queries a person might paste: lines 2-4 of chunks (or files) spread over the store. */
function snippetQueries(snippets: string[], count: number): string[] {
  const step = Math.max(1, Math.floor(snippets.length / count));
  return snippets
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map(s => s.split('\n').slice(1, 4).join('\n').trim())
    .filter(q => q.length > 10);
}

export async function searchFigures(storeDir: string, settings: EngineSettings, count: number): Promise<SearchFigures> {
  const engine = await Engine.open({ settings });
  try {
    const folder = engine.savedFolder(storeDir);
    const manifest = readManifest(storeDir)!;
    const store = readStore(storeDir);
    const texts = store
      .paths()
      .sort()
      .map(p =>
        fs
          .readFileSync(path.join(manifest.root, ...p.split('/')), 'utf8')
          .split('\n')
          .slice(0, 8)
          .join('\n'),
      );
    const queries = snippetQueries(texts, count);
    const run = (q: string, mode: SearchMode) => folder.search(engine.query(q, { k: 10, mode }, folder.queryTokens, 1));
    await run(queries[0], 'hybrid'); // starts the worker
    const byMode = {} as ModeLatency;
    for (const mode of SEARCH_MODES) {
      const latencies: number[] = [];
      for (const q of queries) {
        const t0 = performance.now();
        await run(q, mode);
        latencies.push(performance.now() - t0);
      }
      byMode[mode] = { p50ms: round(median(latencies)), p99ms: round(percentile(latencies, 99)) };
    }
    let agree = 0,
      total = 0;
    for (const q of queries) {
      const v = await engine.embed(q, folder.queryTokens, 1);
      const r = await recallOf(store, v);
      agree += r.agree;
      total += r.total;
    }
    const concurrent = await Promise.all(
      queries.map(async q => {
        const t0 = performance.now();
        await run(q, 'hybrid');
        return performance.now() - t0;
      }),
    );
    return {
      queries: queries.length,
      vectors: store.count,
      recallAt10: round(agree / total, 3),
      p50ms: byMode.hybrid.p50ms,
      p99ms: byMode.hybrid.p99ms,
      byMode,
      concurrentP50ms: round(median(concurrent)),
      concurrentP99ms: round(percentile(concurrent, 99)),
    };
  } finally {
    await engine.dispose();
  }
}

export interface ScaleSearchFigures {
  chunks: number;
  buildSeconds: number;
  lexicalHeapBytesPerChunk: number;
  lexicalDiskBytesPerChunk: number;
  lexicalAddsPercentOnDisk: number;
  byMode: ModeLatency;
  queries: number;
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export async function searchAtScale(
  root: string,
  tok: LineTokenizer,
  settings: EngineSettings,
  target: number,
  count: number,
): Promise<ScaleSearchFigures> {
  const engine = await Engine.open({ settings });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-scale-'));
  try {
    const base = await corpusChunks(root, tok, settings);
    const docs = Array.from({ length: target }, (_, i) => {
      const { path: p, startLine, endLine, symbol, kind, text } = base[i % base.length];
      return { path: `copy${Math.floor(i / base.length)}/${p}`, startLine, endLine, symbol, kind, text };
    });
    // The lexical index's own heap, measured alone (a gc before and after when node runs with --expose-gc).
    const before = heapUsed();
    const lexical = new LexicalBuilder(DEFAULT_TERM_OPTIONS);
    docs.forEach((d, i) => lexical.add(i, d));
    const lexicalHeap = heapUsed() - before;
    void lexical.rows;

    const t0 = performance.now();
    const store = ChunkSegments.create(engine.dims);
    let seed = 7;
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 0x100000000 - 0.5;
    };
    for (const d of docs)
      store.add(
        { path: d.path, startLine: d.startLine, endLine: d.endLine, symbol: d.symbol, kind: d.kind },
        Float32Array.from({ length: engine.dims }, random),
        d.text,
      );
    const buildSeconds = (performance.now() - t0) / 1000;
    store.prepareSave(tmp);
    const sizes = fs.readdirSync(tmp).map(f => [f, fs.statSync(path.join(tmp, f)).size] as const);
    const isLexical = (f: string) => f.endsWith('.lex');
    const lexicalDisk = sizes.filter(([f]) => isLexical(f)).reduce((s, [, n]) => s + n, 0);
    const rest = sizes.filter(([f]) => !isLexical(f)).reduce((s, [, n]) => s + n, 0);

    const queries = snippetQueries(
      base.map(c => c.text),
      count,
    );
    const byMode = {} as ModeLatency;
    for (const mode of SEARCH_MODES) {
      const latencies: number[] = [];
      for (const q of queries) {
        const t1 = performance.now();
        await searchChunkSegments(store, engine.query(q, { k: 10, mode }, settings.maxChunkTokens, 1));
        latencies.push(performance.now() - t1);
      }
      byMode[mode] = { p50ms: round(median(latencies)), p99ms: round(percentile(latencies, 99)) };
    }
    return {
      chunks: store.count,
      buildSeconds: round(buildSeconds),
      queries: queries.length,
      byMode,
      lexicalHeapBytesPerChunk: Math.round(lexicalHeap / target),
      lexicalDiskBytesPerChunk: Math.round(lexicalDisk / target),
      lexicalAddsPercentOnDisk: round((lexicalDisk / rest) * 100),
    };
  } finally {
    await engine.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
