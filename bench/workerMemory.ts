// A worker's memory over a long run, per ONNX session option set and batch-shape rule, with the throughput
// each costs. Runnable alone: `npm run bench:workers` (env WM_BATCHES, WM_REPEATS, WM_VARIANTS=a,b).
// Why: ONNX Runtime keeps state per input shape (memory patterns, arena blocks), and an index run sends
// batches of every length from 3 to 256 tokens, so a worker's RSS can climb with the number of shapes seen.
// Method: each variant runs in its own process, the pool's thread count, the same seeded synthetic batches
// (batch 8, a random longest length 8..256, members within 16 tokens of it as the length-sorted queue sends
// them, one batch in ten a partial one of 1..8); RSS is read after every 10th batch. Throughput is measured
// in the same run, one fresh process per timing with the variants interleaved (median of the repeats), as real
// (unpadded) tokens per second with every core.

import { fork } from 'node:child_process';
import * as path from 'node:path';
import { DEFAULT_TUNING, EmbedderTuning, OnnxEmbedder } from '../server/src/engine/embedder/onnxEmbedder';
import { availableCores, choosePoolShape } from '../server/src/engine/embedder/poolShape';
import { locateModel } from '../server/src/engine/model/modelFiles';
import { median } from './stats';
import { atFraction, slope } from './workerRss';

const TPS_BATCHES = Number(process.env.WM_TPS_BATCHES || 40);

// Names: the CPU arena, memory patterns, the multiple padded lengths are rounded up to (1 = the longest), and
// a warm-up batch of that shape at load (the shipped default, DEFAULT_TUNING, is 'arena=on pattern=off pad=1 warm=8x256').
export const VARIANTS: Record<string, EmbedderTuning> = {
  'arena=on pattern=on pad=1': { enableCpuMemArena: true, enableMemPattern: true, padMultiple: 1 },
  'arena=on pattern=off pad=1': { enableCpuMemArena: true, enableMemPattern: false, padMultiple: 1 },
  'arena=off pattern=on pad=1': { enableCpuMemArena: false, enableMemPattern: true, padMultiple: 1 },
  'arena=off pattern=off pad=1': { enableCpuMemArena: false, enableMemPattern: false, padMultiple: 1 },
  'arena=on pattern=off pad=16': { enableCpuMemArena: true, enableMemPattern: false, padMultiple: 16 },
  'arena=on pattern=on pad=16': { enableCpuMemArena: true, enableMemPattern: true, padMultiple: 16 },
  'arena=on pattern=on pad=32': { enableCpuMemArena: true, enableMemPattern: true, padMultiple: 32 },
  'arena=on pattern=off pad=1 warm=8x256': {
    enableCpuMemArena: true,
    enableMemPattern: false,
    padMultiple: 1,
    warmup: { batch: 8, tokens: 256 },
  },
};

/** Run by default (about 15 minutes on 2 quiet cores at 3,000 batches); the others are kept for WM_VARIANTS. */
const DEFAULT_VARIANTS = [
  'arena=on pattern=on pad=1',
  'arena=on pattern=off pad=1',
  'arena=on pattern=off pad=1 warm=8x256',
  'arena=off pattern=off pad=1',
];

export interface WorkerMemoryRow {
  variant: string;
  batches: number;
  /** RSS in MB after 10%, 50%, 90% of the batches and at the end. */
  rssMB: [number, number, number, number];
  /** Least-squares slope of RSS over the second half of the run, MB per 1,000 batches. */
  slopeMBPer1000: number;
  tokensPerSecond: number;
  /** Largest |difference| of any vector component from the first variant's, on the same batches. */
  maxAbsDiff: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so every variant sees the same batches. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticBatches(count: number, seed: number): Int32Array[][] {
  const r = rng(seed);
  const batches: Int32Array[][] = [];
  for (let i = 0; i < count; i++) {
    const size = r() < 0.1 ? 1 + Math.floor(r() * 8) : 8;
    const longest = 8 + Math.floor(r() * 249);
    const batch: Int32Array[] = [];
    for (let b = 0; b < size; b++) {
      const len = b === 0 ? longest : Math.max(3, longest - Math.floor(r() * 17));
      const ids = new Int32Array(len);
      ids[0] = 101;
      ids[len - 1] = 102; // [CLS] ... [SEP]
      for (let t = 1; t < len - 1; t++) ids[t] = 1000 + Math.floor(r() * 29000);
      batch.push(ids);
    }
    batches.push(batch);
  }
  return batches;
}

/** Child: one variant's long run; prints its RSS samples as one JSON line. */
async function rssChild(onnxPath: string, variant: string, batches: number, threads: number): Promise<void> {
  const embedder = await OnnxEmbedder.load(onnxPath, threads, VARIANTS[variant]);
  const xs: number[] = [],
    ys: number[] = [];
  // Generated in slices so the batches themselves do not add to the RSS being measured.
  for (let start = 0; start < batches; start += 100) {
    const slice = syntheticBatches(Math.min(100, batches - start), 1000 + start);
    for (let i = 0; i < slice.length; i++) {
      await embedder.embed(slice[i]);
      const n = start + i + 1;
      if (n % 10 === 0 || n === batches) {
        xs.push(n);
        ys.push(process.memoryUsage.rss() / 1048576);
      }
    }
  }
  process.stdout.write(JSON.stringify({ xs, ys }) + '\n');
}

/** Child: one timing of one variant on the fixed throughput batches, in real tokens per second. */
async function tpsChild(onnxPath: string, variant: string): Promise<void> {
  const batches = syntheticBatches(TPS_BATCHES, 7);
  const embedder = await OnnxEmbedder.load(onnxPath, availableCores(), VARIANTS[variant]);
  await embedder.embed(batches[0]); // warm-up: the first run allocates
  const t0 = performance.now();
  let tokens = 0;
  for (const b of batches) {
    await embedder.embed(b);
    tokens += b.reduce((s, x) => s + x.length, 0);
  }
  process.stdout.write(JSON.stringify(tokens / ((performance.now() - t0) / 1000)) + '\n');
}

function runChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = fork(path.join(__dirname, 'workerMemory.js'), args, { execArgv: [], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    p.stdout!.on('data', d => {
      out += String(d);
    });
    p.on('exit', code =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as T) : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });
}

/** Largest |difference| of each variant's vectors from the first variant's, on the same batches (one session at a time). */
async function vectorDiffs(onnxPath: string, variants: string[]): Promise<Record<string, number>> {
  const batches = syntheticBatches(10, 7);
  const out: Record<string, number> = {};
  let reference: Float32Array[] = [];
  for (const v of variants) {
    const embedder = await OnnxEmbedder.load(onnxPath, 1, VARIANTS[v]);
    const vectors: Float32Array[] = [];
    for (const b of batches) vectors.push((await embedder.embed(b)).vectors);
    if (!reference.length) reference = vectors;
    let max = 0;
    vectors.forEach((vs, i) =>
      vs.forEach((x, j) => {
        max = Math.max(max, Math.abs(x - reference[i][j]));
      }),
    );
    out[v] = max;
  }
  return out;
}

export async function workerMemoryFigures(
  onnxPath: string,
  opts: { batches: number; repeats: number; variants: string[]; log: (s: string) => void },
): Promise<WorkerMemoryRow[]> {
  const threads = choosePoolShape(0).threadsPerWorker;
  const parallel = Math.max(1, Math.floor(availableCores() / threads));
  opts.log(
    `worker memory: ${opts.variants.length} variants x ${opts.batches} batches, ${parallel} at a time, ${threads} thread(s) each…\n`,
  );
  const runs: Record<string, { xs: number[]; ys: number[] }> = {};
  const todo = [...opts.variants];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let v = todo.shift(); v !== undefined; v = todo.shift()) {
        runs[v] = await runChild<{ xs: number[]; ys: number[] }>(['--rss', v, String(opts.batches), String(threads)]);
        opts.log(`  done: ${v}\n`);
      }
    }),
  );
  // One process per timing, variants interleaved, so a noisy neighbour hits them alike and no other session's
  // threads share the process.
  opts.log(`worker memory: throughput, ${opts.repeats} interleaved repeats, one process each…\n`);
  const timings: Record<string, number[]> = {};
  for (let r = 0; r < opts.repeats; r++) for (const v of opts.variants) (timings[v] ??= []).push(await runChild<number>(['--tps', v]));
  const tps = Object.fromEntries(opts.variants.map(v => [v, Math.round(median(timings[v]))]));
  const diff = await vectorDiffs(onnxPath, opts.variants);
  return opts.variants.map(variant => {
    const { xs, ys } = runs[variant];
    const at = (f: number) => Math.round(atFraction(ys, f));
    const half = Math.floor(xs.length / 2);
    return {
      variant,
      batches: opts.batches,
      rssMB: [at(0.1), at(0.5), at(0.9), at(1)],
      slopeMBPer1000: Math.round(slope(xs.slice(half), ys.slice(half)) * 1000 * 10) / 10,
      tokensPerSecond: tps[variant],
      maxAbsDiff: diff[variant],
    };
  });
}

export function printWorkerMemory(rows: WorkerMemoryRow[], write: (s: string) => void): void {
  write(
    `${'variant'.padEnd(36)} ${'RSS MB at 10% / 50% / 90% / end'.padEnd(34)} ${'MB/1k batches'.padStart(13)} ${'tokens/s'.padStart(9)} ${'max |dv|'.padStart(9)}\n`,
  );
  for (const r of rows) {
    write(
      `${r.variant.padEnd(36)} ${r.rssMB.join(' / ').padEnd(34)} ${String(r.slopeMBPer1000).padStart(13)} ${String(r.tokensPerSecond).padStart(9)} ${r.maxAbsDiff.toExponential(1).padStart(9)}\n`,
    );
  }
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const model = locateModel(
    process.env.SEMSEARCH_MODEL_DIR || path.resolve(root, '..', 'shared', 'models'),
    process.env.SEMSEARCH_MODEL || 'minilm-standin',
  );
  if (process.argv[2] === '--rss') return rssChild(model.onnxPath, process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
  if (process.argv[2] === '--tps') return tpsChild(model.onnxPath, process.argv[3]);
  const variants = process.env.WM_VARIANTS ? process.env.WM_VARIANTS.split(',') : DEFAULT_VARIANTS;
  for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant "${v}"; known: ${Object.keys(VARIANTS).join(', ')}`);
  const rows = await workerMemoryFigures(model.onnxPath, {
    batches: Number(process.env.WM_BATCHES || 3000),
    repeats: Number(process.env.WM_REPEATS || 3),
    variants,
    log: s => process.stderr.write(s),
  });
  process.stdout.write(`worker RSS over a long synthetic run (current default: ${JSON.stringify(DEFAULT_TUNING)})\n`);
  printWorkerMemory(rows, s => process.stdout.write(s));
}

// Only when run as dist/workerMemory.js, not when bundled into another entry.
if (path.basename(__filename) === 'workerMemory.js')
  main().catch(e => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  });
