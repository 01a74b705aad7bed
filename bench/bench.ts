// npm run bench: every figure the engine promises, measured side by side in one run on real third-party code.
// Method: README.md, "Benchmark". Results print as a table and land in .bench/results.json.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, EngineSettings } from '../common/settings';
import { EmbedderPool } from '../server/src/engine/embedder/embedderPool';
import { availableCores } from '../server/src/engine/embedder/poolShape';
import { defaultWorkerScript } from '../server/src/engine/embedder/workerScript';
import type { IndexSummary } from '../server/src/engine/engine';
import { locateModel } from '../server/src/engine/model/modelFiles';
import { ModelTokenizer } from '../server/src/engine/model/tokenizer';
import { queryIds } from '../server/src/engine/search/search';
import { VectorStore } from '../server/src/engine/store/vectorStore';
import { prepareCorpus } from './corpus';
import { cliRunner, incrementalFigures } from './incremental';
import { recoveryFigures } from './recovery';
import { modelAloneTokensPerSecond } from './modelAlone';
import { watchTree } from './procTree';
import { sampleChunkIds } from './sampleChunks';
import { median, percentile } from './stats';

const ROOT = path.resolve(__dirname, '..');
const BENCH = path.join(ROOT, '.bench');
const MODELS = process.env.SEMSEARCH_MODEL_DIR || path.resolve(ROOT, '..', 'shared', 'models');
const MODEL_ID = process.env.SEMSEARCH_MODEL || 'minilm-standin';
const SAMPLE_CHUNKS = Number(process.env.BENCH_SAMPLE || 1200);
const QUERIES = 100;

function runCli(args: string[]): Promise<{ summary: IndexSummary; peakTreeMB: number; samples: number[] }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], {
      env: { ...process.env, SEMSEARCH_MODEL_DIR: MODELS, SEMSEARCH_MODEL: MODEL_ID }, maxBuffer: 64 << 20,
    }, (err, stdout, stderr) => {
      const { peakBytes, samples } = watch.stop();
      if (err) { reject(new Error(`${err.message}\n${stderr}`)); return; }
      const last = stdout.trim().split('\n').pop()!;
      resolve({ summary: JSON.parse(last) as IndexSummary, peakTreeMB: Math.round(peakBytes / 1048576), samples });
    });
    const watch = watchTree(child.pid!);
  });
}

async function searchFigures(storeDir: string, settings: EngineSettings, tok: ModelTokenizer, onnxPath: string) {
  const store = VectorStore.load(storeDir);
  const metas = JSON.parse(fs.readFileSync(path.join(storeDir, 'chunks.json'), 'utf8')).chunks as [number, { snippet: string }][];
  const step = Math.max(1, Math.floor(metas.length / QUERIES));
  const queries = metas.filter((_, i) => i % step === 0).slice(0, QUERIES)
    .map(([, m]) => m.snippet.split('\n').slice(1, 4).join('\n').trim()).filter(q => q.length > 10);
  const pool = await EmbedderPool.start({
    onnxPath, workerScript: defaultWorkerScript(), size: 1, threadsPerWorker: availableCores(),
    memoryLimitMB: settings.workerMemoryLimitMB, batchTimeoutMs: 60_000, maxAttempts: 3,
  });
  try {
    const latencies: number[] = [];
    let agree = 0, total = 0;
    for (const q of queries) {
      const t0 = performance.now();
      const [v] = await pool.embed([queryIds(tok, q, settings.maxChunkTokens)]);
      const hits = store.search(v, 10);
      latencies.push(performance.now() - t0);
      const exact = new Set(store.exactSearch(v, 10).map(h => h.label));
      agree += hits.filter(h => exact.has(h.label)).length;
      total += Math.min(10, exact.size);
    }
    // Concurrent load: all queries at once, as a busy UI might send them.
    const t0 = performance.now();
    const concurrent = await Promise.all(queries.map(async q => {
      const s = performance.now();
      const [v] = await pool.embed([queryIds(tok, q, settings.maxChunkTokens)]);
      store.search(v, 10);
      return performance.now() - s;
    }));
    const wall = performance.now() - t0;
    return {
      queries: queries.length, p50ms: round(median(latencies)), p99ms: round(percentile(latencies, 99)),
      recallAt10: round(agree / total, 3), concurrentP50ms: round(median(concurrent)), concurrentP99ms: round(percentile(concurrent, 99)),
      concurrentWallMs: round(wall), vectors: store.count,
    };
  } finally {
    await pool.dispose();
  }
}

function round(n: number, d = 1): number {
  return Math.round(n * 10 ** d) / 10 ** d;
}

async function main(): Promise<void> {
  const settings: EngineSettings = { ...DEFAULT_SETTINGS, modelId: MODEL_ID, modelsDir: MODELS };
  const model = locateModel(MODELS, MODEL_ID);
  process.stderr.write('preparing the corpus (npm pack, cached in .bench/)…\n');
  const corpus = prepareCorpus(BENCH);
  const tok = await ModelTokenizer.load(model);
  const { sample, total } = await sampleChunkIds(corpus, tok, settings, SAMPLE_CHUNKS);
  process.stderr.write(`corpus: ${total} chunks; model-alone sample: ${sample.length} chunks\n`);

  const storeDir = path.join(BENCH, 'store');
  fs.rmSync(storeDir, { recursive: true, force: true });
  process.stderr.write('model alone (1/2)…\n');
  const alone1 = await modelAloneTokensPerSecond(model.onnxPath, sample, settings.batchSize);
  process.stderr.write('cold index…\n');
  const cold = await runCli(['index', corpus, '--store', storeDir, '--json']);
  process.stderr.write('unchanged re-run, then one edit…\n');
  const cliEnv = { ...process.env, SEMSEARCH_MODEL_DIR: MODELS, SEMSEARCH_MODEL: MODEL_ID };
  const cli = cliRunner(ROOT, cliEnv);
  const incremental = incrementalFigures(cli, corpus, storeDir);
  process.stderr.write('kill -9 and resume, then a damaged store (on lodash)…\n');
  const recovery = await recoveryFigures(cli, path.join(ROOT, 'dist', 'cli.js'), path.join(corpus, 'lodash'), BENCH, cliEnv);
  process.stderr.write('model alone (2/2)…\n');
  const alone2 = await modelAloneTokensPerSecond(model.onnxPath, sample, settings.batchSize);
  // Why the default batch size is what it is: the model alone at each size, on the same sample.
  const sweep: Record<number, number> = {};
  for (const size of [1, 4, 8, 16, 32]) sweep[size] = Math.round(await modelAloneTokensPerSecond(model.onnxPath, sample.slice(0, 400), size));
  process.stderr.write('search…\n');
  const search = await searchFigures(storeDir, settings, tok, model.onnxPath);

  const aloneTps = (alone1 + alone2) / 2;
  const s = cold.summary;
  const results = {
    machine: { cores: availableCores(), node: process.version },
    corpus: { path: corpus, files: s.files, chunks: s.chunks },
    index: {
      seconds: s.seconds, embedded: s.embedded, tokens: s.tokens, tokensPerSecond: s.tokensPerSecond,
      modelAloneTokensPerSecond: [Math.round(alone1), Math.round(alone2)], throughputRatio: round(s.tokensPerSecond / aloneTps, 3),
      peakRssMB_engineReported: s.peakRssMB, peakRssMB_processTree: cold.peakTreeMB,
      storeBytes: s.storeBytes, storeBytesPerChunk: Math.round(s.storeBytes / Math.max(1, s.chunks)), workers: s.workers,
    },
    incremental,
    recovery,
    modelAloneByBatchSize: sweep,
    search,
  };
  fs.writeFileSync(path.join(BENCH, 'results.json'), JSON.stringify(results, null, 2));
  const line = (k: string, v: unknown) => process.stdout.write(`${k.padEnd(44)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
  line('corpus files indexed / skipped / failed', `${s.files.indexed} / ${JSON.stringify(s.files.skipped)} / ${s.files.failed}`);
  line('chunks', s.chunks);
  line('cold index seconds', s.seconds);
  line('index tokens/s (whole run, wall clock)', s.tokensPerSecond);
  line('model alone tokens/s (before, after)', results.index.modelAloneTokensPerSecond);
  line('throughput ratio (index / model alone)', results.index.throughputRatio);
  line('peak RSS MB, engine+workers (self-reported)', s.peakRssMB);
  line('peak RSS MB, process tree (sampled outside)', cold.peakTreeMB);
  line('store bytes per chunk', results.index.storeBytesPerChunk);
  line('search p50 / p99 ms (query embedding incl.)', `${search.p50ms} / ${search.p99ms}`);
  line(`search under ${search.queries} concurrent p50 / p99 ms`, `${search.concurrentP50ms} / ${search.concurrentP99ms}`);
  line('HNSW recall@10 vs exact scan', search.recallAt10);
  line('unchanged re-run seconds / embedded', `${incremental.unchanged.seconds} / ${incremental.unchanged.embedded} (cold ${s.seconds})`);
  line('one function appended: seconds / embedded', `${incremental.oneEdit.seconds} / ${incremental.oneEdit.embedded} (reused ${incremental.oneEdit.reused})`);
  line('appended function found by search at rank', incremental.oneEdit.foundAt || 'not in top 10');
  line('lodash: uninterrupted chunks / seconds', `${recovery.uninterrupted.chunks} / ${recovery.uninterrupted.seconds}`);
  line('lodash: SIGKILL after first checkpoint at s', recovery.killedAfterSeconds);
  line('lodash: re-run chunks / embedded / same per file', `${recovery.resumed.chunks} / ${recovery.resumed.embedded} / ${recovery.resumed.sameChunksPerFile}`);
  line('lodash: truncated index.hnsw -> chunks', `${recovery.corrupted.chunks} (${recovery.corrupted.rebuilt})`);
  line('model alone tokens/s by batch size', sweep);
}

main().catch(e => { process.stderr.write(`bench failed: ${(e as Error).stack}\n`); process.exitCode = 1; });
