// Resident memory of a process and all its descendants, read from /proc (Linux).

import * as fs from 'node:fs';

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

function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function treeRssBytes(pid: number): number {
  let total = rss(pid);
  for (const c of children(pid)) total += treeRssBytes(c);
  return total;
}

/** Samples a process tree until stopped; returns the peak and every sample (for a flat-or-climbing check). */
export function watchTree(pid: number, intervalMs = 250): { stop: () => { peakBytes: number; samples: number[] } } {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(treeRssBytes(pid)), intervalMs);
  return { stop: () => { clearInterval(timer); return { peakBytes: Math.max(0, ...samples), samples }; } };
}
