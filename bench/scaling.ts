// How the cost grows with the work: index time and peak RSS of the process tree at 1x, 2x and 4x the corpus.
// 4x is the whole corpus (the cold run's own figures, same command, same measurement); 2x and 1x are every
// 2nd and every 4th of its code files (scaleCorpus.ts), each indexed cold into a fresh store.

import type { IndexSummary } from '../server/src/engine/engine';

export interface ScaleRow {
  scale: string;
  files: number;
  chunks: number;
  seconds: number;
  chunksPerSecond: number;
  peakTreeMB: number;
  storeBytes: number;
}

export function scaleRow(scale: string, s: IndexSummary, peakTreeMB: number): ScaleRow {
  return {
    scale,
    files: s.files.indexed,
    chunks: s.chunks,
    seconds: s.seconds,
    chunksPerSecond: Math.round(s.chunks / s.seconds),
    peakTreeMB,
    storeBytes: s.storeBytes,
  };
}

/** Ratios of the largest scale to the smallest: time near the chunk ratio is linear, RSS near 1 is bounded. */
export function scaleRatios(rows: ScaleRow[]): { chunks: number; time: number; rss: number } {
  const small = rows[0],
    big = rows[rows.length - 1];
  const r = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  return { chunks: r(big.chunks, small.chunks), time: r(big.seconds, small.seconds), rss: r(big.peakTreeMB, small.peakTreeMB) };
}

export function printScaling(rows: ScaleRow[], write: (s: string) => void): void {
  const cols = ['scale', 'files', 'chunks', 'seconds', 'chunks/s', 'peak RSS MB', 'store bytes'];
  write(cols.map(c => c.padStart(12)).join('') + '\n');
  for (const r of rows) {
    write(
      [r.scale, r.files, r.chunks, r.seconds, r.chunksPerSecond, r.peakTreeMB, r.storeBytes].map(v => String(v).padStart(12)).join('') +
        '\n',
    );
  }
  const ratio = scaleRatios(rows);
  write(`${rows[rows.length - 1].scale} / ${rows[0].scale}: chunks x${ratio.chunks}, time x${ratio.time}, peak RSS x${ratio.rss}\n`);
}
