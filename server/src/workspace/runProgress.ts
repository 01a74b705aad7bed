// Progress of one full run over one or more folders, for the health (the one place the client shows it): the
// counts summed over the folders walked so far (a folder's totals are known once its walk ends), the phase,
// the folder at hand, and the clock's elapsed time, rates and ETA (common/progress.ts).

import { ProgressClock, type ProgressReport, type RunCounts } from '../../../common/progress';
import type { IndexProgress } from '../engine';

const NOTHING_YET: IndexProgress = {
  phase: 'scanning',
  filesDone: 0,
  filesTotal: 0,
  bytesDone: 0,
  bytesTotal: 0,
  chunks: 0,
  chunksStored: 0,
};

export class RunProgress {
  private readonly clock = new ProgressClock();
  /** The finished folders' counts. */
  private before: Counts = NOTHING_YET;
  private current = NOTHING_YET;
  private folderName = '';

  constructor(
    private readonly folderCount: number,
    private readonly onChange: () => void,
  ) {}

  /** The progress callback for the next folder's run. */
  folder(name: string): (p: IndexProgress) => void {
    this.folderName = name;
    this.current = NOTHING_YET;
    return p => {
      this.current = p;
      this.onChange();
    };
  }

  /** Adds the finished folder's counts to the totals. */
  folderDone(): void {
    this.before = sum(this.before, this.current);
    this.current = NOTHING_YET;
  }

  snapshot(): ProgressReport {
    const c = this.current;
    // 'done' lasts only until folderDone; the run is not done while folders remain.
    const counts: RunCounts = { phase: c.phase === 'done' ? 'indexing' : c.phase, ...sum(this.before, c) };
    return this.clock.report(counts, this.folderCount > 1 ? this.folderName : undefined);
  }
}

type Counts = Omit<RunCounts, 'phase'>;

/** Two folders' counts added up. */
function sum(a: Counts, b: Counts): Counts {
  return {
    filesDone: a.filesDone + b.filesDone,
    filesTotal: a.filesTotal + b.filesTotal,
    bytesDone: a.bytesDone + b.bytesDone,
    bytesTotal: a.bytesTotal + b.bytesTotal,
    chunks: a.chunks + b.chunks,
    chunksStored: a.chunksStored + b.chunksStored,
  };
}
