// Progress of one full run over one or more folders: files done / total summed over the folders walked so far
// (a folder's total is known once its walk ends), the phase, and the folder at hand. It feeds the health's
// `progress` and the LSP work-done progress, whose reports are throttled like the health.

import type { Health } from '../../../common/protocol';
import type { IndexProgress } from '../engine/indexer/indexer';

/** A started work-done progress (or a stand-in when the client has none). */
export interface ProgressHandle {
  report(percentage: number, message: string): void;
  done(): void;
}

/** Begins a cancellable work-done progress; `onCancel` runs when the user cancels it. */
export type StartProgress = (title: string, message: string, onCancel: () => void) => Promise<ProgressHandle>;

const REPORT_INTERVAL_MS = 200;

export class RunProgress {
  private doneBefore = 0;
  private totalBefore = 0;
  private foldersDone = 0;
  private current: IndexProgress = { phase: 'scanning', filesDone: 0, filesTotal: 0, chunksStored: 0 };
  private folderName = '';
  private lastReport = 0;

  constructor(private readonly handle: ProgressHandle, private readonly folderCount: number, private readonly onChange: () => void) {}

  /** The progress callback for the next folder's run. */
  folder(name: string): (p: IndexProgress) => void {
    this.folderName = name;
    this.current = { phase: 'scanning', filesDone: 0, filesTotal: 0, chunksStored: 0 };
    return p => this.update(p);
  }

  /** Adds the finished folder's files to the totals. */
  folderDone(): void {
    this.doneBefore += this.current.filesDone;
    this.totalBefore += this.current.filesTotal;
    this.foldersDone++;
    this.current = { phase: 'scanning', filesDone: 0, filesTotal: 0, chunksStored: 0 };
  }

  snapshot(): NonNullable<Health['progress']> {
    return { phase: this.current.phase, filesDone: this.doneBefore + this.current.filesDone, filesTotal: this.totalBefore + this.current.filesTotal };
  }

  done(): void {
    this.handle.done();
  }

  private update(p: IndexProgress): void {
    const phaseChanged = p.phase !== this.current.phase;
    this.current = p;
    this.onChange();
    const now = performance.now();
    if (!phaseChanged && now - this.lastReport < REPORT_INTERVAL_MS) return;
    this.lastReport = now;
    this.handle.report(this.percentage(), this.message());
  }

  /** Each folder weighs the same: later folders' file counts are unknown until they are walked. */
  private percentage(): number {
    const inFolder = this.current.filesTotal > 0 ? this.current.filesDone / this.current.filesTotal : 0;
    return Math.min(100, ((this.foldersDone + inFolder) / Math.max(1, this.folderCount)) * 100);
  }

  private message(): string {
    const where = this.folderCount > 1 ? `${this.folderName}: ` : '';
    const { filesDone, filesTotal } = this.snapshot();
    if (this.current.phase === 'scanning') return `${where}scanning files…`;
    return `${where}${this.current.phase} ${filesDone}/${filesTotal} files`;
  }
}
