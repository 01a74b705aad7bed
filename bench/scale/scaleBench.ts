// npm run bench:scale: how indexing scales to a Linux-kernel-sized repository, with the default model.
// Per scale (the full kernel, 1/2 and 1/8 of its files): a cold index into a fresh store, searched from one
// child process (latency per mode, recall@10, its memory), an unchanged re-run, then a one-file edit. Then
// the growth curve and the targets beside the full kernel's figures. Results: .bench/scale-results.json.
//
// Environment:
//   BENCH_SCALES=8,2,1         denominators of the kernel's files to run (default all three; 1 is the full kernel).
//                              BENCH_SCALES=256 (~340 files) checks the script in a minute.
//   BENCH_QUERIES=100          search queries drawn from the tree's .c/.h files.
//   BENCH_RECALL_QUERIES=100   of those, how many the recall check scans exactly (seconds each on the full kernel).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { availableCores } from '../../server/src/engine/embedder/poolShape';
import {
  allFiles,
  APPENDED_FUNCTION,
  APPENDED_QUERY,
  editOneFile,
  ensureKernel,
  fileToEdit,
  KERNEL_TARBALL,
  kernelPaths,
  kernelSubset,
  scaleLabel,
} from './kernelCorpus';
import { coldFigures, growth, oddities, printReport, ScaleResult, targetChecks } from './scaleReport';
import { CliRun, coldRun, indexRun, rankOf } from './scaleRun';
import { kernelQueries } from './kernelQueries';
import { SEARCH_PROBE_ARG, searchFigures, serveSearchProbe } from './scaleSearch';

const ROOT = path.resolve(__dirname, '..');
const BENCH = path.join(ROOT, '.bench');
const RESULTS = path.join(BENCH, 'scale-results.json');

const log = (m: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);
const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a whole number of at least 1; got ${JSON.stringify(raw)}.`);
  return Number(raw);
}

/** The scales to run, smallest corpus first, so a problem shows on a small one before the full kernel's wait. */
function scalesFromEnv(): number[] {
  const raw = process.env.BENCH_SCALES || '8,2,1';
  const parts = raw
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.some(p => !/^\d+$/.test(p) || Number(p) < 1)) {
    throw new Error(
      `BENCH_SCALES must be denominators of the kernel's files, such as 8,2,1 (1 is the full kernel, 256 a quick check); got ${JSON.stringify(raw)}.`,
    );
  }
  return [...new Set(parts.map(Number))].sort((a, b) => b - a);
}

async function runScale(every: number, corpus: string, storesDir: string, queryCount: number, recallQueries: number): Promise<ScaleResult> {
  const scale = scaleLabel(every);
  const storeDir = path.join(storesDir, every === 1 ? 'full' : `every${every}`);
  const treeFiles = allFiles(corpus).length;

  log(`${scale}: cold index of ${treeFiles} files into a fresh store…`);
  const cold = await coldRun(ROOT, corpus, storeDir);
  const coldFig = coldFigures(cold);
  log(`${scale}: ${coldFig.chunks} chunks in ${coldFig.seconds} s (${coldFig.chunksPerSecond}/s), peak tree RSS ${coldFig.peakTreeMB} MB`);

  // Before the re-runs, so the figures are over the cold store exactly.
  const queries = kernelQueries(corpus, queryCount);
  log(`${scale}: search, ${queries.queries.length} queries (${queries.identifiers} function names), in one child process…`);
  const search = await searchFigures(storeDir, queries, recallQueries);

  log(`${scale}: unchanged re-run…`);
  const unchanged = await indexRun(ROOT, corpus, storeDir);

  const edited = fileToEdit(corpus);
  log(`${scale}: one-file edit (${edited}), re-run…`);
  const restore = editOneFile(corpus, edited);
  let edit: CliRun, foundAt: number;
  try {
    edit = await indexRun(ROOT, corpus, storeDir);
    foundAt = await rankOf(ROOT, storeDir, APPENDED_QUERY, edited, APPENDED_FUNCTION);
  } finally {
    restore();
  }

  const stalls = [cold, unchanged, edit].map(r => r.summary.longestStallMs).filter((ms): ms is number => ms !== undefined);
  return {
    every,
    scale,
    corpus,
    treeFiles,
    cold: coldFig,
    unchanged: {
      seconds: unchanged.summary.seconds,
      wallSeconds: unchanged.wallSeconds,
      ratioToCold: round(unchanged.summary.seconds / Math.max(cold.summary.seconds, 1e-3)),
      ratioToColdWall: round(unchanged.wallSeconds / Math.max(cold.wallSeconds, 1e-3)),
      embedded: unchanged.summary.embedded,
      changes: unchanged.summary.changes,
      peakTreeMB: unchanged.peakTreeMB,
      longestStallMs: unchanged.summary.longestStallMs,
    },
    oneEdit: {
      file: edited,
      seconds: edit.summary.seconds,
      wallSeconds: edit.wallSeconds,
      embedded: edit.summary.embedded,
      reused: edit.summary.reused,
      changes: edit.summary.changes,
      foundAt,
      longestStallMs: edit.summary.longestStallMs,
    },
    search,
    longestStallMs: stalls.length ? Math.max(...stalls) : undefined,
  };
}

async function main(): Promise<void> {
  const scales = scalesFromEnv();
  const queryCount = positiveInt('BENCH_QUERIES', 100);
  const recallQueries = positiveInt('BENCH_RECALL_QUERIES', queryCount);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')))
    throw new Error('dist/cli.js is missing: run `npm run bench:scale` (it builds first), or `npm run build`.');
  const paths = kernelPaths(BENCH);
  const full = ensureKernel(paths, log);
  const storesDir = path.join(paths.dir, 'stores');
  log(`kernel: ${full} (from ${KERNEL_TARBALL}); scales: ${scales.map(scaleLabel).join(', ')}`);

  const results: ScaleResult[] = [];
  const save = () => {
    const report = {
      machine: { cores: availableCores(), memoryMB: Math.round(os.totalmem() / 1048576), node: process.version },
      corpus: { tarball: KERNEL_TARBALL, full },
      model: 'default (built-in static model)',
      scales: results,
      growth: growth(results),
      targets: results.length ? targetChecks(results) : undefined,
      oddities: oddities(results),
    };
    fs.writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  };
  for (const every of scales) {
    const corpus = kernelSubset(paths, every, log);
    results.push(await runScale(every, corpus, storesDir, queryCount, recallQueries));
    save(); // after each scale: a long run stopped later keeps what it measured
  }
  printReport(results, t => process.stdout.write(t));
  log(`results: ${RESULTS}`);
}

if (process.argv[2] === SEARCH_PROBE_ARG) {
  serveSearchProbe();
} else {
  main().catch(e => {
    process.stderr.write(`bench:scale failed: ${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
