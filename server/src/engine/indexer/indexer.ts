// One index run over a folder: walk -> for each file, the FileIndexer path (read, chunk, cache or embed,
// store). The walk runs first so progress has a total and so chunks of files that are gone or now skipped
// leave the store before the run starts; files are then read one at a time, and the embed queue's
// backpressure keeps at most a few batches of chunks in memory.

import type { RunCounts } from '../../../../common/progress';
import { walkOptions } from '../scanner/scanOptions';
import { walk } from '../scanner/walker';
import type { CandidateFile } from '../types';
import type { Checkpointer } from './checkpointer';
import { giveTurn } from '../turns';
import { FileChanges, FileIndexer, IndexDeps } from './fileIndexer';
import { FileLedger } from './fileLedger';

/** Files whose reads run ahead of the one being chunked: enough to hide a read's latency, at most a few MB held. */
const READ_AHEAD = 4;

export { MAX_LINE_CHARS, type IndexDeps } from './fileIndexer';

/** 'updating': following changed paths (pathUpdater.ts) rather than a full run. */
export type IndexPhase = 'scanning' | 'indexing' | 'updating' | 'done';

/** The shared progress counts (common/progress.ts), plus 'done' once the run has ended. */
export interface IndexProgress extends Omit<RunCounts, 'phase'> {
  phase: IndexPhase;
  currentFile?: string;
}

/** While scanning, a report every this many files found: a 70k-file walk shows that it moves. */
const SCAN_REPORT_EVERY = 500;

export interface IndexOutcome {
  ledger: FileLedger;
  embedded: number;
  cacheHits: number;
  reused: number;
  tokens: number;
  /** Files added, changed, removed and unchanged since the index the run started from. */
  changes: FileChanges;
  cancelled: boolean;
  /** The embedder became unavailable (a remote endpoint down): the run stopped early, as a cancelled one does. */
  stoppedBy?: Error;
}

/**
 * Indexes `root` into deps.segments, which may already hold an older index of it (rebuilt in place). Reports go
 * to `ledger`; `previous` is the older index's, whose reports stand for files this run has not reached yet
 * (they are still searchable), so a cancelled run leaves a report that matches the store. `checkpoint`, when
 * given, is offered a save after every file.
 */
export async function indexFolder(
  root: string,
  deps: IndexDeps,
  onProgress: (p: IndexProgress) => void,
  signal?: AbortSignal,
  ledger = new FileLedger(),
  previous?: FileLedger,
  checkpoint?: Checkpointer,
): Promise<IndexOutcome> {
  const settings = deps.settings();
  const scanning = (found: number) =>
    onProgress({
      phase: 'scanning',
      filesDone: 0,
      filesTotal: found,
      bytesDone: 0,
      bytesTotal: 0,
      chunks: deps.segments.count,
      chunksStored: 0,
    });
  scanning(0);
  const candidates: CandidateFile[] = [];
  let walked = true;
  for await (const ev of walk(root, walkOptions(settings))) {
    if (ev.kind === 'file') {
      candidates.push(ev.file);
      if (candidates.length % SCAN_REPORT_EVERY === 0) scanning(candidates.length);
    } else ledger.skip(ev.report);
    if (signal?.aborted) {
      walked = false;
      break;
    }
  }
  // Only a complete walk knows which files are gone: a cancelled one must not empty the index.
  const gone = walked ? dropUnseen(deps, new Set(candidates.map(c => c.path))) : 0;
  if (previous) for (const p of walked ? candidates.map(c => c.path) : previous.paths()) ledger.carry(previous, p);

  const files = new FileIndexer(deps, ledger, signal);
  let done = 0;
  let bytesDone = 0;
  const bytesTotal = candidates.reduce((n, c) => n + c.size, 0);
  const counts = () => ({
    filesDone: done,
    filesTotal: candidates.length,
    bytesDone,
    bytesTotal,
    chunks: deps.segments.count,
    chunksStored: files.storedSoFar,
  });
  for (const [i, file] of candidates.entries()) {
    await giveTurn();
    if (signal?.aborted || files.stoppedBy) break;
    onProgress({ phase: 'indexing', ...counts(), currentFile: file.path });
    for (const next of candidates.slice(i, i + READ_AHEAD)) files.readAhead(next);
    await files.add(file);
    done++;
    bytesDone += file.size;
    await checkpoint?.maybe(files.embeddedSoFar);
  }
  const totals = await files.finish();
  onProgress({ phase: 'done', ...counts() });
  const changes = { ...files.changes, removed: files.changes.removed + gone };
  return { ledger, ...totals, changes, cancelled: signal?.aborted ?? false, ...(files.stoppedBy ? { stoppedBy: files.stoppedBy } : {}) };
}

/** Removes the chunks of files the walk no longer found (deleted, or now skipped); returns how many files. */
function dropUnseen(deps: IndexDeps, candidates: Set<string>): number {
  let gone = 0;
  for (const p of deps.segments.paths())
    if (!candidates.has(p)) {
      deps.segments.removeFile(p);
      gone++;
    }
  return gone;
}
