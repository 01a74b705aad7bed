// Indexing progress on stderr: one rewritten line on a terminal, a plain line every few seconds otherwise.
// The words are the shared progress model's (common/progress.ts), the same the status bar and health view say.

import { longProgressText, percentText, ProgressClock, workShare } from '../../../common/progress';
import type { IndexProgress } from '../engine';

const BAR = 24;

export class ProgressLine {
  private readonly clock = new ProgressClock();
  private lastPrint = 0;
  private lastPhase = '';
  private readonly tty: boolean;

  /** `intervalMs` overrides the time between lines (tests wait on lines; SEMSEARCH_PROGRESS_MS). */
  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs?: number,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  update(p: IndexProgress): void {
    const report = this.clock.report({ ...p, phase: p.phase === 'done' ? 'indexing' : p.phase });
    const now = Date.now();
    const due = p.phase !== this.lastPhase || now - this.lastPrint >= (this.intervalMs ?? (this.tty ? 200 : 3000));
    if (!due) return;
    this.lastPrint = now;
    this.lastPhase = p.phase;
    const share = workShare(report);
    const bar = share === undefined ? '' : `[${'#'.repeat(Math.round(share * BAR)).padEnd(BAR, '.')}] ${percentText(report)!.padStart(4)} `;
    const line = `${bar}${p.phase === 'scanning' ? 'scanning: ' : ''}${longProgressText(report)}`;
    if (this.tty) this.out.write(`\r\x1b[K${line}${p.phase === 'done' ? '\n' : ''}`);
    else this.out.write(`${line}\n`);
  }
}
