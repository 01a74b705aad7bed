// Each embedder worker's RSS through the cold run, sampled from outside (/proc), to show whether a worker's
// memory stays flat or climbs over a long run. Batches are not visible from outside, so a sample's batch
// number is estimated from the worker's final batch count, assuming an even rate over its sampled lifetime
// (the queue keeps every worker busy from its first batch to the end of the run).

import type { WorkerStats } from '../server/src/engine/embedder/embedderPool';
import type { PidSeries } from './procTree';

export interface WorkerRssFigures {
  pid: number;
  batches: number;
  /** RSS in MB at 10%, 50%, 90% of the worker's life and at its last sample. */
  rssMB: [number, number, number, number];
  /** Least-squares slope of RSS over the second half of the worker's life, MB per 1,000 batches. */
  slopeMBPer1000: number;
}

export function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length,
    my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0,
    den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : 0;
}

/** The value after fraction `f` of the samples (f = 1: the last). */
export function atFraction(ys: number[], f: number): number {
  return ys[Math.min(ys.length - 1, Math.max(0, Math.ceil(f * ys.length) - 1))];
}

export function workerRssFigures(perPid: PidSeries[], workers: WorkerStats[]): WorkerRssFigures[] {
  const out: WorkerRssFigures[] = [];
  for (const series of perPid.filter(s => s.command.includes('embedderWorker'))) {
    const batches = workers.find(w => w.pid === series.pid)?.batches ?? 0;
    const s = series.samples;
    if (s.length < 4) continue;
    const t0 = s[0][0],
      span = Math.max(1, s[s.length - 1][0] - t0);
    const xs = s.map(([t]) => ((t - t0) / span) * batches),
      ys = s.map(([, b]) => b / 1048576);
    const half = Math.floor(s.length / 2);
    out.push({
      pid: series.pid,
      batches,
      rssMB: [0.1, 0.5, 0.9, 1].map(f => Math.round(atFraction(ys, f))) as WorkerRssFigures['rssMB'],
      slopeMBPer1000: Math.round(slope(xs.slice(half), ys.slice(half)) * 10000) / 10,
    });
  }
  return out;
}
