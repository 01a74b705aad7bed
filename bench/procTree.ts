// Resident memory of a process and all its descendants, read from /proc (Linux).

import * as fs from 'node:fs';
import { rssOfPid } from '../server/src/engine/indexer/rssMonitor';

function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const list = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) out.push(...list.split(/\s+/).map(Number));
    }
  } catch { /* the process ended */ }
  return out;
}

export function treeRssBytes(pid: number): number {
  let total = rssOfPid(pid);
  for (const c of children(pid)) total += treeRssBytes(c);
  return total;
}

/** Samples a process tree until stopped; returns the peak and every sample (for a flat-or-climbing check). */
export function watchTree(pid: number, intervalMs = 250): { stop: () => { peakBytes: number; samples: number[] } } {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(treeRssBytes(pid)), intervalMs);
  return { stop: () => { clearInterval(timer); return { peakBytes: Math.max(0, ...samples), samples }; } };
}
