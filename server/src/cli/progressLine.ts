// Indexing progress on stderr: one rewritten line on a terminal, a plain line every few seconds otherwise.

import type { IndexProgress } from '../engine/indexer/indexer';

const BAR = 24;

export class ProgressLine {
  private readonly started = performance.now();
  private lastPrint = 0;
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(out.isTTY);
  }

  update(p: IndexProgress): void {
    const now = performance.now();
    if (p.phase !== 'done' && now - this.lastPrint < (this.tty ? 200 : 3000)) return;
    this.lastPrint = now;
    const secs = (now - this.started) / 1000;
    let line: string;
    if (p.phase === 'scanning') line = 'scanning…';
    else {
      const frac = p.filesTotal ? p.filesDone / p.filesTotal : 1;
      const filled = Math.round(frac * BAR);
      line = `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% `
        + `${p.filesDone}/${p.filesTotal} files, ${(p.filesDone / Math.max(secs, 0.001)).toFixed(1)} files/s, ${p.chunksStored} chunks`;
    }
    if (this.tty) this.out.write(`\r\x1b[K${line}${p.phase === 'done' ? '\n' : ''}`);
    else this.out.write(`${line}\n`);
  }
}
