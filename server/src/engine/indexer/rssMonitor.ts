// Peak resident memory of the engine process and its embedder workers, summed, sampled on a timer.
// Linux reads /proc; elsewhere it falls back to this process plus the workers' self-reported RSS.

import * as fs from 'node:fs';

/** RSS of one process in bytes from /proc (Linux); 0 when it is gone or unreadable. */
export function rssOfPid(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export class RssMonitor {
  private timer?: NodeJS.Timeout;
  peakBytes = 0;

  constructor(
    private readonly childPids: () => number[],
    private readonly fallbackChildBytes: () => number,
  ) {}

  sample(): number {
    const self = process.memoryUsage.rss();
    const children =
      process.platform === 'linux' ? this.childPids().reduce((sum, pid) => sum + rssOfPid(pid), 0) : this.fallbackChildBytes();
    const total = self + children;
    if (total > this.peakBytes) this.peakBytes = total;
    return total;
  }

  start(intervalMs = 200): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}
