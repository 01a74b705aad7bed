// The closing-note block: every figure the benchmark measured, one labelled line each, with units.
// Parts that did not run (BENCH_ONLY) are left out rather than printed empty.

import type { IndexSummary } from '../server/src/engine/engine';
import type { EmbeddedModelFigures } from './embeddedModel';
import type { IncrementalFigures } from './incremental';
import type { RecoveryFigures } from './recovery';
import type { ScaleRow } from './scaling';
import type { ScaleSearchFigures, SearchFigures } from './searchPath';
import type { SearchWhileIndexing } from './searchWhileIndexing';
import type { WorkerRssFigures } from './workerRss';

/** Below this, a worker's life is mostly the arena reaching its high-water mark: a slope would mean nothing. */
const MIN_BATCHES_FOR_SLOPE = 200;

export interface BenchResults {
  corpus: { path: string; fraction: number };
  index?: Pick<IndexSummary, 'files' | 'chunks' | 'seconds' | 'embedded' | 'tokens' | 'tokensPerSecond' | 'storeBytes' | 'workers'> & {
    peakRssMB_engineReported: number;
    peakRssMB_processTree: number;
    storeBytesPerChunk: number;
    workerRss: WorkerRssFigures[];
  };
  modelAlone?: { tokensPerSecond: number[]; byBatchSize: Record<number, number> };
  throughputRatio?: number;
  incremental?: IncrementalFigures;
  recovery?: RecoveryFigures;
  search?: SearchFigures;
  searchAtScale?: ScaleSearchFigures;
  scaling?: { rows: ScaleRow[]; ratios: { chunks: number; time: number; rss: number } };
  searchWhileIndexing?: SearchWhileIndexing;
  embedded?: {
    model: EmbeddedModelFigures;
    cold: { chunks: number; seconds: number; chunksPerSecond: number; peakRssMB_processTree: number; storeBytesPerChunk: number };
    /** The cold run's chunks/s over the model's own (tokenize + sum) on the same chunks. */
    wholeRunVsModel: number;
    /** The cold run's chunks/s over the stand-in's cold run's, same corpus, same run. */
    vsStandin?: number;
    search: SearchFigures;
  };
}

export function printSummary(r: BenchResults, write: (s: string) => void): void {
  const line = (k: string, v: string | number) => write(`${k.padEnd(60)} ${v}\n`);
  write('\n=== semsearch benchmark summary ===\n');
  line(
    'corpus',
    r.corpus.fraction > 1 ? `${r.corpus.path} (1 code file in ${r.corpus.fraction}: a quick check, not the figures)` : r.corpus.path,
  );
  const s = r.index;
  if (s) {
    line('files indexed / skipped (by reason) / failed', `${s.files.indexed} / ${JSON.stringify(s.files.skipped)} / ${s.files.failed}`);
    line('chunks / tokens embedded', `${s.chunks} / ${s.tokens}`);
    line('cold index (s)', s.seconds);
    line('index throughput, whole run, wall clock (tokens/s)', s.tokensPerSecond);
  }
  if (r.modelAlone) line('model alone, same run, before / after (tokens/s)', r.modelAlone.tokensPerSecond.join(' / '));
  if (r.throughputRatio !== undefined) line('throughput ratio, index / model alone', r.throughputRatio);
  if (s) {
    line('peak RSS, engine + workers, engine-sampled (MB)', s.peakRssMB_engineReported);
    line('peak RSS, whole process tree, sampled outside (MB)', s.peakRssMB_processTree);
    for (const w of s.workerRss) {
      line(
        `worker ${w.pid} RSS at 10 / 50 / 90% / end of the run (MB)`,
        `${w.rssMB.join(' / ')} over ${w.batches} batches; slope ${w.batches >= MIN_BATCHES_FOR_SLOPE ? `${w.slopeMBPer1000} MB per 1,000 batches` : 'n/a (short run)'}`,
      );
    }
    line('store on disk (bytes per chunk; total bytes)', `${s.storeBytesPerChunk}; ${s.storeBytes}`);
  }
  const e = r.embedded;
  if (e) {
    const st = e.model.stages;
    line(
      `default model ${e.model.modelId} (${e.model.dims} dims): cold index (s / chunks/s)`,
      `${e.cold.seconds} / ${e.cold.chunksPerSecond} (${e.cold.chunks} chunks)`,
    );
    if (e.vsStandin !== undefined) line("  chunks/s over the stand-in's cold run (same run)", `x${e.vsStandin}`);
    line('  peak RSS, whole process tree (MB); store (bytes per chunk)', `${e.cold.peakRssMB_processTree}; ${e.cold.storeBytesPerChunk}`);
    line('  model alone: tokenize + sum / sum only (chunks/s)', `${e.model.modelChunksPerSecond} / ${e.model.sumChunksPerSecond}`);
    line('  throughput ratio, whole run / model alone', e.wholeRunVsModel);
    line(
      '  stages alone (s): walk / read / chunk (tokenize) / embed / store (lexical) / save',
      `${st.walk} / ${st.read} / ${st.chunk} (${st.tokenizeLines}) / ${st.embed} / ${st.store} (${st.lexical}) / ${st.save}`,
    );
    line(
      '  search one at a time, p50 hybrid / lexical / semantic (ms)',
      `${e.search.byMode.hybrid.p50ms} / ${e.search.byMode.lexical.p50ms} / ${e.search.byMode.semantic.p50ms} (p99 hybrid ${e.search.byMode.hybrid.p99ms}; recall@10 ${e.search.recallAt10})`,
    );
  }
  if (r.incremental) {
    line('unchanged re-run (s / chunks embedded)', `${r.incremental.unchanged.seconds} / ${r.incremental.unchanged.embedded}`);
    line(
      'one function appended (s / embedded / reused / search rank)',
      `${r.incremental.oneEdit.seconds} / ${r.incremental.oneEdit.embedded} / ${r.incremental.oneEdit.reused} / ${r.incremental.oneEdit.foundAt || 'not in top 10'}`,
    );
  }
  const q = r.search;
  if (q) {
    line(
      'search one at a time, query embedding incl., p50 / p99 (ms)',
      `${q.p50ms} / ${q.p99ms} (hybrid; ${q.queries} queries, ${q.vectors} chunks)`,
    );
    line(
      '  by mode hybrid / lexical / semantic, p50 (ms)',
      `${q.byMode.hybrid.p50ms} / ${q.byMode.lexical.p50ms} / ${q.byMode.semantic.p50ms}`,
    );
    line(`search, ${q.queries} at once, after indexing p50 / p99 (ms)`, `${q.concurrentP50ms} / ${q.concurrentP99ms}`);
    line('HNSW recall@10 vs exact scan', q.recallAt10);
  }
  const z = r.searchAtScale;
  if (z) {
    line(
      `search over ${z.chunks} chunks, hybrid / lexical / semantic p50 (ms)`,
      `${z.byMode.hybrid.p50ms} / ${z.byMode.lexical.p50ms} / ${z.byMode.semantic.p50ms} (p99 ${z.byMode.hybrid.p99ms} / ${z.byMode.lexical.p99ms} / ${z.byMode.semantic.p99ms})`,
    );
    line(
      '  lexical index: heap / disk bytes per chunk, disk vs rest of store',
      `${z.lexicalHeapBytesPerChunk} / ${z.lexicalDiskBytesPerChunk} / +${z.lexicalAddsPercentOnDisk}%`,
    );
  }
  const w = r.searchWhileIndexing;
  if (w) {
    line(
      `search, ${w.perRound} at once, WHILE indexing p50 / p99 (ms)`,
      `${w.p50ms} / ${w.p99ms} (${w.searches} searches in ${w.rounds} rounds, 1x subset, separate run)`,
    );
    line('  index run with those searches (s / tokens/s / chunks)', `${w.indexSeconds} / ${w.indexTokensPerSecond} / ${w.chunks}`);
  }
  if (r.scaling) {
    for (const row of r.scaling.rows) {
      line(
        `scaling ${row.scale}: files / chunks / s / chunks/s / RSS MB / store B`,
        `${row.files} / ${row.chunks} / ${row.seconds} / ${row.chunksPerSecond} / ${row.peakTreeMB} / ${row.storeBytes}`,
      );
    }
    const x = r.scaling.ratios;
    line('scaling 4x / 1x: chunks, time, peak RSS (ratios)', `x${x.chunks}, x${x.time}, x${x.rss}`);
  }
  const rec = r.recovery;
  if (rec) {
    line('lodash: uninterrupted (chunks / s)', `${rec.uninterrupted.chunks} / ${rec.uninterrupted.seconds}`);
    line(
      'lodash: SIGKILLed at (s); re-run chunks / embedded / same',
      `${rec.killedAfterSeconds}; ${rec.resumed.chunks} / ${rec.resumed.embedded} / ${rec.resumed.sameChunksPerFile}`,
    );
    line('lodash: a truncated segment graph, re-run chunks', `${rec.corrupted.chunks} (${rec.corrupted.rebuilt})`);
  }
  if (r.modelAlone) line('model alone by batch size (tokens/s)', JSON.stringify(r.modelAlone.byBatchSize));
}
