// The scale benchmark's figures as tables: one row per scale, search per mode, the growth curve (in
// bench/scaling.ts's style, by its own functions) and the issue's targets beside the full kernel's figures.

import type { FileChanges } from '../../server/src/engine/indexer/fileIndexer';
import { printScaling, ScaleRow } from '../scaling';
import type { CliRun } from './scaleRun';
import type { SearchFigures } from './scaleSearch';

export interface ScaleResult {
  /** The denominator: 1 is the full kernel. */
  every: number;
  scale: string;
  corpus: string;
  /** Regular files in the tree, indexed or not. */
  treeFiles: number;
  cold: {
    filesIndexed: number;
    filesSkipped: number;
    filesFailed: number;
    chunks: number;
    /** The engine's own figure (walk to save), and the child's wall clock (start-up and model load included). */
    seconds: number;
    wallSeconds: number;
    chunksPerSecond: number;
    peakTreeMB: number;
    peakRssMB_engineReported: number;
    storeBytes: number;
    storeBytesPerChunk: number;
    longestStallMs?: number;
  };
  unchanged: {
    seconds: number;
    wallSeconds: number;
    ratioToCold: number;
    ratioToColdWall: number;
    embedded: number;
    changes: FileChanges;
    peakTreeMB: number;
    longestStallMs?: number;
  };
  oneEdit: {
    file: string;
    seconds: number;
    wallSeconds: number;
    embedded: number;
    reused: number;
    changes: FileChanges;
    foundAt: number;
    longestStallMs?: number;
  };
  search: SearchFigures;
  /** The longest of the three runs' stalls; absent while the CLI does not report them. */
  longestStallMs?: number;
}

export function coldFigures(run: CliRun): ScaleResult['cold'] {
  const s = run.summary;
  return {
    filesIndexed: s.files.indexed,
    filesSkipped: Object.values(s.files.skipped).reduce((a, b) => a + b, 0),
    filesFailed: s.files.failed,
    chunks: s.chunks,
    seconds: s.seconds,
    wallSeconds: run.wallSeconds,
    chunksPerSecond: Math.round(s.chunks / Math.max(s.seconds, 1e-3)),
    peakTreeMB: run.peakTreeMB,
    peakRssMB_engineReported: s.peakRssMB,
    storeBytes: s.storeBytes,
    storeBytesPerChunk: s.storeBytesPerChunk,
    longestStallMs: s.longestStallMs,
  };
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const stall = (ms: number | undefined) => (ms === undefined ? 'n/a' : String(Math.round(ms)));

function table(head: string[], rows: (string | number)[][], write: (s: string) => void): void {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)) + 2);
  // The first column (a name) reads best left-aligned, the figures right-aligned.
  const cell = (v: string | number, i: number) => (i === 0 ? String(v).padEnd(width[i]) : String(v).padStart(width[i]));
  write(head.map(cell).join('') + '\n');
  for (const r of rows) write(r.map(cell).join('') + '\n');
}

/** Rows for bench/scaling.ts's printScaling, smallest corpus first (its ratio line compares last to first). */
export function growthRows(results: ScaleResult[]): ScaleRow[] {
  return [...results]
    .sort((a, b) => b.every - a.every)
    .map(r => ({
      scale: r.scale,
      files: r.cold.filesIndexed,
      chunks: r.cold.chunks,
      seconds: r.cold.seconds,
      chunksPerSecond: r.cold.chunksPerSecond,
      peakTreeMB: r.cold.peakTreeMB,
      storeBytes: r.cold.storeBytes,
    }));
}

export interface Growth {
  between: [string, string];
  chunks: number;
  time: number;
  peakRss: number;
  storeBytes: number;
  storeBytesPerChunk: number;
}

/** full / (1/8) when both ran, else the largest measured scale over the smallest (labelled as such). */
export function growth(results: ScaleResult[]): Growth | undefined {
  const sorted = [...results].sort((a, b) => b.every - a.every);
  if (sorted.length < 2) return undefined;
  const small = results.find(r => r.every === 8) ?? sorted[0];
  const big = results.find(r => r.every === 1) ?? sorted[sorted.length - 1];
  if (small === big) return undefined;
  const ratio = (a: number, b: number) => r2(a / Math.max(b, 1e-9));
  return {
    between: [big.scale, small.scale],
    chunks: ratio(big.cold.chunks, small.cold.chunks),
    time: ratio(big.cold.seconds, small.cold.seconds),
    peakRss: ratio(big.cold.peakTreeMB, small.cold.peakTreeMB),
    storeBytes: ratio(big.cold.storeBytes, small.cold.storeBytes),
    storeBytesPerChunk: ratio(big.cold.storeBytesPerChunk, small.cold.storeBytesPerChunk),
  };
}

export interface TargetCheck {
  target: string;
  value: string;
  pass: boolean | undefined;
}

// The issue's targets, for the full kernel. Sizes in binary units, as the RSS figures (MiB) are.
const TARGETS = {
  coldSeconds: 15 * 60,
  peakRssMB: 1.5 * 1024,
  storeBytesPerChunk: 1.2 * 1024,
  recall: 0.95,
  p50ms: 30,
  rerunRatio: 0.05,
  stallMs: 100,
  rssGrowth: 2,
};

export function targetChecks(results: ScaleResult[]): { against: string; checks: TargetCheck[] } {
  const r = results.find(x => x.every === 1) ?? [...results].sort((a, b) => a.every - b.every)[0];
  const g = growth(results);
  const fullAndEighth = g && g.between[0] === 'full' && g.between[1] === '1/8';
  const checks: TargetCheck[] = [
    {
      target: `cold index <= ${TARGETS.coldSeconds / 60} min`,
      value: `${r2(r.cold.seconds / 60)} min`,
      pass: r.cold.seconds <= TARGETS.coldSeconds,
    },
    {
      target: `peak RSS of the tree <= 1.5 GB (${TARGETS.peakRssMB} MiB)`,
      value: `${r.cold.peakTreeMB} MiB`,
      pass: r.cold.peakTreeMB <= TARGETS.peakRssMB,
    },
    {
      target: `store <= 1.2 KB/chunk (${Math.round(TARGETS.storeBytesPerChunk)} B)`,
      value: `${r.cold.storeBytesPerChunk} B`,
      pass: r.cold.storeBytesPerChunk <= TARGETS.storeBytesPerChunk,
    },
    { target: `recall@10 >= ${TARGETS.recall}`, value: String(r.search.recallAt10), pass: r.search.recallAt10 >= TARGETS.recall },
    {
      target: `search p50 (hybrid) <= ${TARGETS.p50ms} ms`,
      value: `${r.search.byMode.hybrid.p50ms} ms`,
      pass: r.search.byMode.hybrid.p50ms <= TARGETS.p50ms,
    },
    {
      target: `unchanged re-run <= ${TARGETS.rerunRatio * 100}% of cold (wall)`,
      value: `${r2(r.unchanged.ratioToColdWall * 100)}%`,
      pass: r.unchanged.ratioToColdWall <= TARGETS.rerunRatio,
    },
    {
      target: `no event-loop stall > ${TARGETS.stallMs} ms`,
      value: r.longestStallMs === undefined ? 'n/a (not in the summary)' : `${Math.round(r.longestStallMs)} ms`,
      pass: r.longestStallMs === undefined ? undefined : r.longestStallMs <= TARGETS.stallMs,
    },
    fullAndEighth
      ? {
          target: `peak RSS full / (1/8) < ${TARGETS.rssGrowth} (chunks ~x8)`,
          value: `x${g.peakRss} (chunks x${g.chunks})`,
          pass: g.peakRss < TARGETS.rssGrowth,
        }
      : { target: `peak RSS full / (1/8) < ${TARGETS.rssGrowth} (chunks ~x8)`, value: 'n/a (needs scales 8 and 1)', pass: undefined },
  ];
  return { against: r.scale, checks };
}

/** Figures that say a run did not do what it is meant to measure: worth a look before trusting the rest. */
export function oddities(results: ScaleResult[]): string[] {
  return results.flatMap(r =>
    [
      r.unchanged.embedded > 0 && `${r.scale}: the unchanged re-run embedded ${r.unchanged.embedded} chunks (expected 0)`,
      (r.oneEdit.changes.changed !== 1 || r.oneEdit.changes.added + r.oneEdit.changes.removed > 0) &&
        `${r.scale}: the one-file edit changed ${JSON.stringify(r.oneEdit.changes)} (expected 1 changed file)`,
      r.oneEdit.foundAt === 0 && `${r.scale}: the appended function was not in the top 10 for its own comment line`,
      !(r.search.recallAt10 >= 0) && `${r.scale}: no recall figure (the exact scan found nothing)`,
      ...(['hybrid', 'lexical', 'semantic'] as const).map(
        m => r.search.byMode[m].meanHits < 1 && `${r.scale}: ${m} search returned ${r.search.byMode[m].meanHits} hits a query`,
      ),
      r.cold.filesFailed > 0 && `${r.scale}: ${r.cold.filesFailed} files failed to index`,
    ].filter((x): x is string => Boolean(x)),
  );
}

export function printReport(results: ScaleResult[], write: (s: string) => void): void {
  const sorted = [...results].sort((a, b) => b.every - a.every);
  write('\nkernel scale: cold index into a fresh store, then an unchanged re-run and a one-file edit (default model)\n');
  table(
    [
      'scale',
      'tree files',
      'indexed',
      'chunks',
      'cold s',
      'cold wall s',
      'chunks/s',
      'peak RSS MB',
      'B/chunk',
      'rerun wall s',
      'rerun/cold',
      'edit wall s',
      'edit embedded',
      'stall ms',
    ],
    sorted.map(r => [
      r.scale,
      r.treeFiles,
      r.cold.filesIndexed,
      r.cold.chunks,
      r.cold.seconds,
      r.cold.wallSeconds,
      r.cold.chunksPerSecond,
      r.cold.peakTreeMB,
      r.cold.storeBytesPerChunk,
      r.unchanged.wallSeconds,
      r.unchanged.ratioToColdWall,
      r.oneEdit.wallSeconds,
      r.oneEdit.embedded,
      stall(r.longestStallMs),
    ]),
    write,
  );

  write(
    "\nsearch (one process, one query at a time, k=10; ms p50/p99), recall@10 of HNSW against an exact scan, the search process's memory\n",
  );
  table(
    ['scale', 'queries', 'hybrid', 'lexical', 'semantic', 'recall@10', 'load s', 'RSS MB', 'peak RSS MB', 'heap MB', 'edit found at'],
    sorted.map(r => [
      r.scale,
      `${r.search.queries} (${r.search.identifierQueries} names)`,
      ...(['hybrid', 'lexical', 'semantic'] as const).map(m => `${r.search.byMode[m].p50ms}/${r.search.byMode[m].p99ms}`),
      r.search.recallAt10,
      r.search.memory.loadSeconds,
      r.search.memory.rssAfterLoadMB,
      r.search.memory.peakRssSearchingMB,
      r.search.memory.heapAfterSearchesMB,
      r.oneEdit.foundAt || 'not in top 10',
    ]),
    write,
  );

  if (sorted.length >= 2) {
    write('\ngrowth (cold index)\n');
    const rows = growthRows(results);
    printScaling(rows, write); // its last line: the largest scale over the smallest
    const g = growth(results)!;
    const samePair = g.between[0] === rows[rows.length - 1].scale && g.between[1] === rows[0].scale;
    const rest = samePair ? '' : `chunks x${g.chunks}, time x${g.time}, peak RSS x${g.peakRss}, `;
    write(`${g.between[0]} / ${g.between[1]}: ${rest}store bytes x${g.storeBytes} (per chunk x${g.storeBytesPerChunk})\n`);
  }

  const { against, checks } = targetChecks(results);
  write(
    `\ntargets (for the full kernel) against ${against === 'full' ? 'the full kernel' : `${against}, the largest scale measured: only indicative`}\n`,
  );
  table(
    ['target', 'measured', 'verdict'],
    checks.map(c => [c.target, c.value, c.pass === undefined ? '-' : c.pass ? 'ok' : 'MISSED']),
    write,
  );

  const odd = oddities(results);
  if (odd.length) write(`\nodd figures:\n${odd.map(o => `  ${o}\n`).join('')}`);
}
