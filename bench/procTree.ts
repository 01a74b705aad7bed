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
  } catch {
    /* the process ended */
  }
  return out;
}

export function treeRssBytes(pid: number): number {
  return treeRss(pid).reduce((sum, p) => sum + p.bytes, 0);
}

/** Every process of the tree with its RSS. */
function treeRss(pid: number): { pid: number; bytes: number }[] {
  const out = [{ pid, bytes: rssOfPid(pid) }];
  for (const c of children(pid)) out.push(...treeRss(c));
  return out;
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** One process's RSS over time: milliseconds since the watch started, bytes. */
export interface PidSeries {
  pid: number;
  command: string;
  samples: [number, number][];
}

export interface TreeWatch {
  /** Peak of the summed tree, every summed sample (for a flat-or-climbing check), and each descendant's own series. */
  stop: () => { peakBytes: number; samples: number[]; perPid: PidSeries[] };
}

/** Samples a process tree until stopped. */
export function watchTree(pid: number, intervalMs = 250): TreeWatch {
  const samples: number[] = [];
  const perPid = new Map<number, PidSeries>();
  const t0 = performance.now();
  const timer = setInterval(() => {
    const tree = treeRss(pid);
    samples.push(tree.reduce((sum, p) => sum + p.bytes, 0));
    const t = performance.now() - t0;
    for (const p of tree) {
      if (p.pid === pid || p.bytes === 0) continue;
      let series = perPid.get(p.pid);
      if (!series) perPid.set(p.pid, (series = { pid: p.pid, command: commandLine(p.pid), samples: [] }));
      series.samples.push([t, p.bytes]);
    }
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { peakBytes: Math.max(0, ...samples), samples, perPid: [...perPid.values()] };
    },
  };
}
