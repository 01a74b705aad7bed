// One index run over a folder: walk -> for each file, the FileIndexer path (read, chunk, cache or embed,
// store). The walk runs first so progress has a total and so chunks of files that are gone or now skipped
// leave the store before the run starts; files are then read one at a time, and the embed queue's
// backpressure keeps at most a few batches of chunks in memory.

import { walk } from '../scanner/walker';
import type { CandidateFile } from '../types';
import type { Checkpointer } from './checkpointer';
import { FileIndexer, IndexDeps } from './fileIndexer';
import { FileLedger } from './fileLedger';

/** Files whose reads run ahead of the one being chunked: enough to hide a read's latency, at most a few MB held. */
const READ_AHEAD = 4;

export { MAX_LINE_CHARS, snippetOf, type IndexDeps } from './fileIndexer';

export type IndexPhase = 'scanning' | 'indexing' | 'done';

export interface IndexProgress {
  phase: IndexPhase;
  filesDone: number;
  filesTotal: number;
  chunksStored: number;
  currentFile?: string;
}

export interface IndexOutcome {
  ledger: FileLedger;
  embedded: number;
  cacheHits: number;
  reused: number;
  tokens: number;
  cancelled: boolean;
}

/**
 * Indexes `root` into deps.store, which may already hold an older index of it (rebuilt in place). Reports go
 * to `ledger`; `previous` is the older index's, whose reports stand for files this run has not reached yet
 * (they are still searchable), so a cancelled run leaves a report that matches the store. `checkpoint`, when
 * given, is offered a save after every file.
 */
export async function indexFolder(root: string, deps: IndexDeps, onProgress: (p: IndexProgress) => void, signal?: AbortSignal,
  ledger = new FileLedger(), previous?: FileLedger, checkpoint?: Checkpointer): Promise<IndexOutcome> {
  const settings = deps.settings();
  onProgress({ phase: 'scanning', filesDone: 0, filesTotal: 0, chunksStored: deps.store.count });
  const candidates: CandidateFile[] = [];
  let walked = true;
  for await (const ev of walk(root, { excludeGlobs: settings.excludeGlobs, maxFileBytes: settings.maxFileBytes })) {
    if (ev.kind === 'file') candidates.push(ev.file);
    else ledger.skip(ev.report);
    if (signal?.aborted) { walked = false; break; }
  }
  // Only a complete walk knows which files are gone: a cancelled one must not empty the index.
  if (walked) dropUnseen(deps, new Set(candidates.map(c => c.path)));
  if (previous) for (const p of walked ? candidates.map(c => c.path) : previous.paths()) ledger.carry(previous, p);

  const files = new FileIndexer(deps, ledger, signal);
  let done = 0;
  for (const [i, file] of candidates.entries()) {
    if (signal?.aborted) break;
    onProgress({ phase: 'indexing', filesDone: done, filesTotal: candidates.length, chunksStored: deps.store.count, currentFile: file.path });
    for (const next of candidates.slice(i, i + READ_AHEAD)) files.readAhead(next);
    await files.add(file);
    done++;
    checkpoint?.maybe(files.embeddedSoFar);
  }
  const totals = await files.finish();
  onProgress({ phase: 'done', filesDone: done, filesTotal: candidates.length, chunksStored: deps.store.count });
  return { ledger, ...totals, cancelled: signal?.aborted ?? false };
}

function dropUnseen(deps: IndexDeps, candidates: Set<string>): void {
  for (const p of deps.store.paths()) if (!candidates.has(p)) deps.store.removeFile(p);
}
