// npm run bench: every figure the engine promises, measured side by side in one run on real third-party code.
// Method: README.md, "Benchmark". Results print as tables and one summary block, and land in .bench/results.json.
// Parts: BENCH_ONLY=model,cold,embedded,incremental,recovery,search,search100k,scaling,loadsearch (default: all). A quick check on a
// small corpus: BENCH_FRACTION=8 uses every 8th code file of the corpus as the whole corpus (scaleCorpus.ts).

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, EngineSettings } from '../common/settings';
import { availableCores } from '../server/src/engine/embedder/poolShape';
import type { IndexSummary } from '../server/src/engine/engine';
import { locateModel } from '../server/src/engine/model/modelFiles';
import { ModelTokenizer } from '../server/src/engine/model/tokenizer';
import { prepareCorpus } from './corpus';
import { cliRunner, EDITED_FILE, incrementalFigures } from './incremental';
import { recoveryFigures } from './recovery';
import { embeddedModelFigures } from './embeddedModel';
import { modelAloneTokensPerSecond } from './modelAlone';
import { PidSeries, watchTree } from './procTree';
import { sampleChunkIds } from './sampleChunks';
import { printScaling, ScaleRow, scaleRatios, scaleRow } from './scaling';
import { codeFiles, subsetCorpus } from './scaleCorpus';
import { queriesFrom, searchWhileIndexing } from './searchWhileIndexing';
import { searchAtScale, searchFigures } from './searchPath';
import { BenchResults, printSummary } from './summary';
import { workerRssFigures } from './workerRss';

const ROOT = path.resolve(__dirname, '..');
const BENCH = path.join(ROOT, '.bench');
const MODELS = process.env.SEMSEARCH_MODEL_DIR || path.resolve(ROOT, '..', 'shared', 'models');
const MODEL_ID = process.env.SEMSEARCH_MODEL || 'minilm-standin';
const SAMPLE_CHUNKS = Number(process.env.BENCH_SAMPLE || 1200);
const QUERIES = 100;
const ALL_PARTS = ['model', 'cold', 'embedded', 'incremental', 'recovery', 'search', 'search100k', 'scaling', 'loadsearch'];
const SCALE_CHUNKS = Number(process.env.BENCH_SCALE_CHUNKS || 100_000);
const PARTS = new Set(process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : ALL_PARTS);
const FRACTION = Number(process.env.BENCH_FRACTION || 1);

type CliRun = { summary: IndexSummary; peakTreeMB: number; samples: number[]; perPid: PidSeries[] };

/** The environment a CLI run gets: the stand-in (or SEMSEARCH_MODEL's model), or none for the default model. */
const STANDIN_ENV = { SEMSEARCH_MODEL_DIR: MODELS, SEMSEARCH_MODEL: MODEL_ID };
const DEFAULT_MODEL_ENV = { SEMSEARCH_MODEL_DIR: '', SEMSEARCH_MODEL: '' };

function runCli(args: string[], modelEnv: Record<string, string> = STANDIN_ENV): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(ROOT, 'dist', 'cli.js'), ...args],
      {
        env: { ...process.env, ...modelEnv },
        maxBuffer: 64 << 20,
      },
      (err, stdout, stderr) => {
        const { peakBytes, samples, perPid } = watch.stop();
        if (err) {
          reject(new Error(`${err.message}\n${stderr}`));
          return;
        }
        const last = stdout.trim().split('\n').pop()!;
        resolve({ summary: JSON.parse(last) as IndexSummary, peakTreeMB: Math.round(peakBytes / 1048576), samples, perPid });
      },
    );
    const watch = watchTree(child.pid!);
  });
}

function round(n: number, d = 1): number {
  return Math.round(n * 10 ** d) / 10 ** d;
}

/** Cold-indexes `root` into a fresh store in a child process, its process tree sampled from outside. */
function coldIndex(root: string, storeDir: string, modelEnv?: Record<string, string>): Promise<CliRun> {
  fs.rmSync(storeDir, { recursive: true, force: true });
  return runCli(['index', root, '--store', storeDir, '--json'], modelEnv);
}

async function main(): Promise<void> {
  const settings: EngineSettings = { ...DEFAULT_SETTINGS, modelId: MODEL_ID, modelsDir: MODELS };
  const model = locateModel(MODELS, MODEL_ID);
  const log = (m: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);
  log(`parts: ${[...PARTS].join(', ')}; preparing the corpus (npm pack, cached in .bench/)…`);
  const corpus = await subsetCorpus(prepareCorpus(BENCH), FRACTION, settings);
  const tok = await ModelTokenizer.load(model);
  const storeDir = path.join(BENCH, 'store');
  const results: BenchResults & { machine: { cores: number; node: string } } = {
    machine: { cores: availableCores(), node: process.version },
    corpus: { path: corpus, fraction: FRACTION },
  };

  let sample: Int32Array[] = [];
  const alone: number[] = [];
  if (PARTS.has('model')) {
    const sampled = await sampleChunkIds(corpus, tok, settings, SAMPLE_CHUNKS);
    sample = sampled.sample;
    log(`corpus: ${sampled.total} chunks; model-alone sample: ${sample.length} chunks; model alone (1/2)…`);
    alone.push(await modelAloneTokensPerSecond(model.onnxPath, sample, settings.batchSize));
  }
  let cold: CliRun | undefined;
  if (PARTS.has('cold') || PARTS.has('scaling')) {
    log('cold index…');
    cold = await coldIndex(corpus, storeDir);
    const s = cold.summary;
    results.index = {
      files: s.files,
      chunks: s.chunks,
      seconds: s.seconds,
      embedded: s.embedded,
      tokens: s.tokens,
      tokensPerSecond: s.tokensPerSecond,
      peakRssMB_engineReported: s.peakRssMB,
      peakRssMB_processTree: cold.peakTreeMB,
      storeBytes: s.storeBytes,
      storeBytesPerChunk: Math.round(s.storeBytes / Math.max(1, s.chunks)),
      workers: s.workers,
      workerRss: workerRssFigures(cold.perPid, s.workers),
    };
  }
  if (PARTS.has('embedded')) {
    log('cold index with the default (embedded) model, then its stages alone…');
    const run = await coldIndex(corpus, path.join(BENCH, 'store-embedded'), DEFAULT_MODEL_ENV);
    const s = run.summary;
    const model = await embeddedModelFigures(corpus, { ...DEFAULT_SETTINGS });
    const chunksPerSecond = Math.round(s.chunks / s.seconds);
    results.embedded = {
      model,
      cold: {
        chunks: s.chunks,
        seconds: s.seconds,
        chunksPerSecond,
        peakRssMB_processTree: run.peakTreeMB,
        storeBytesPerChunk: s.storeBytesPerChunk,
      },
      wholeRunVsModel: round(chunksPerSecond / model.modelChunksPerSecond, 3),
      vsStandin: cold ? round(chunksPerSecond / (cold.summary.chunks / cold.summary.seconds), 1) : undefined,
      search: await searchFigures(path.join(BENCH, 'store-embedded'), { ...DEFAULT_SETTINGS }, QUERIES),
    };
  }
  const cliEnv = { ...process.env, ...STANDIN_ENV };
  const cli = cliRunner(ROOT, cliEnv);
  // The edited file may be missing from a BENCH_FRACTION corpus.
  if (PARTS.has('incremental') && fs.existsSync(storeDir) && fs.existsSync(path.join(corpus, EDITED_FILE))) {
    log('unchanged re-run, then one edit…');
    results.incremental = incrementalFigures(cli, corpus, storeDir);
  } else if (PARTS.has('incremental')) {
    log(`incremental: skipped (no cold store, or no ${EDITED_FILE} in this corpus)`);
  }
  if (PARTS.has('recovery')) {
    log('kill -9 and resume, then a damaged store (on lodash)…');
    results.recovery = await recoveryFigures(
      cli,
      path.join(ROOT, 'dist', 'cli.js'),
      path.join(prepareCorpus(BENCH), 'lodash'),
      BENCH,
      cliEnv,
    );
  }
  if (PARTS.has('model')) {
    log('model alone (2/2), then by batch size…');
    alone.push(await modelAloneTokensPerSecond(model.onnxPath, sample, settings.batchSize));
    // Why the default batch size is what it is: the model alone at each size, on the same sample.
    const sweep: Record<number, number> = {};
    for (const size of [1, 4, 8, 16, 32])
      sweep[size] = Math.round(await modelAloneTokensPerSecond(model.onnxPath, sample.slice(0, 400), size));
    results.modelAlone = { tokensPerSecond: alone.map(Math.round), byBatchSize: sweep };
    if (cold) results.throughputRatio = round(cold.summary.tokensPerSecond / ((alone[0] + alone[1]) / 2), 3);
  }
  if (PARTS.has('search') && fs.existsSync(storeDir)) {
    log('search…');
    results.search = await searchFigures(storeDir, settings, QUERIES);
  }
  if (PARTS.has('search100k')) {
    log(`search over ${SCALE_CHUNKS} chunks (corpus copies, random vectors, in process)…`);
    results.searchAtScale = await searchAtScale(corpus, tok, settings, SCALE_CHUNKS, QUERIES);
  }
  if (PARTS.has('scaling') && cold) {
    const rows: ScaleRow[] = [];
    for (const [scale, every] of [
      ['1x', 4],
      ['2x', 2],
    ] as const) {
      const subset = await subsetCorpus(corpus, every, settings);
      log(`scaling: ${scale} (1 code file in ${every}), cold…`);
      const run = await coldIndex(subset, path.join(BENCH, `store-${scale}`));
      rows.push(scaleRow(scale, run.summary, run.peakTreeMB));
    }
    rows.push(scaleRow('4x', cold.summary, cold.peakTreeMB));
    results.scaling = { rows, ratios: scaleRatios(rows) };
  }
  if (PARTS.has('loadsearch')) {
    const subset = await subsetCorpus(corpus, 4, settings);
    log('search while indexing (1x subset, in process)…');
    const queries = queriesFrom(subset, await codeFiles(subset, settings), QUERIES);
    results.searchWhileIndexing = await searchWhileIndexing(subset, path.join(BENCH, 'store-load'), settings, queries);
  }

  fs.writeFileSync(path.join(BENCH, 'results.json'), JSON.stringify(results, null, 2));
  const write = (t: string) => process.stdout.write(t);
  if (results.scaling) {
    write('\nscaling (cold index, fresh store each)\n');
    printScaling(results.scaling.rows, write);
  }
  printSummary(results, write);
}

main().catch(e => {
  process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
  process.exitCode = 1;
});
