// Each workspace folder's store lock, so that two windows on one workspace (or a window and the CLI) never
// both write one store. A folder whose store another process holds is read-only: its saved index answers
// searches (reloaded whenever the holder saves again), nothing indexes it, and the health says who holds
// it. The lock is retried every second; once it frees, the folder reloads the saved index and is indexed.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { LockHolder, StoreLock, writeFailureText } from '../engine';
import type { ServiceContext } from './serviceContext';
import type { WorkspaceFolder } from './workspaceFolders';

export const LOCK_RETRY_MS = 1000;

interface Entry {
  lock?: StoreLock;
  heldBy?: LockHolder;
  manifestMtime?: number;
  writeError?: string;
}

export class FolderLocks {
  private readonly entries = new Map<WorkspaceFolder, Entry>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ctx: Pick<ServiceContext, 'lockTaken' | 'savedByHolder' | 'lockWriteChanged' | 'healthChanged'>,
    private readonly retryMs = LOCK_RETRY_MS,
  ) {}

  /** Tries to take the folder's lock now; on failure the folder stays read-only until a retry takes it. */
  claim(folder: WorkspaceFolder): void {
    const e: Entry = { manifestMtime: manifestMtime(folder.storeDir) };
    this.entries.set(folder, e);
    this.attempt(folder, e);
    this.schedule();
  }

  /** True when this process holds the folder's store, so it may index and save it. */
  owns(folder: WorkspaceFolder): boolean {
    return this.entries.get(folder)?.lock !== undefined;
  }

  heldBy(folder: WorkspaceFolder): LockHolder | undefined {
    return this.entries.get(folder)?.heldBy;
  }

  /** Why the folder's lock file could not be written, while it cannot. */
  writeError(folder: WorkspaceFolder): string | undefined {
    return this.entries.get(folder)?.writeError;
  }

  /** The folder left the workspace (save it first). */
  release(folder: WorkspaceFolder): void {
    this.entries.get(folder)?.lock?.release();
    this.entries.delete(folder);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const f of [...this.entries.keys()]) this.release(f);
  }

  private attempt(folder: WorkspaceFolder, e: Entry): boolean {
    let r: ReturnType<typeof StoreLock.tryAcquire>;
    try {
      r = StoreLock.tryAcquire(folder.storeDir);
    } catch (err) {
      // A store folder that cannot be written (read-only, full) must not stop the server: the folder stays
      // read-only like a locked one, and the retry takes the lock (and indexes) once the disk allows.
      const error = `Could not lock the index of ${folder.name} in ${folder.storeDir}: ${writeFailureText(err, folder.storeDir)} Its saved index is searched meanwhile; indexing starts once the folder can be written.`;
      this.setWriteError(folder, e, error);
      e.heldBy = undefined;
      return false;
    }
    this.setWriteError(folder, e, undefined);
    if ('lock' in r) {
      e.lock = r.lock;
      e.heldBy = undefined;
      return true;
    }
    e.heldBy = r.heldBy;
    return false;
  }

  private setWriteError(folder: WorkspaceFolder, e: Entry, error: string | undefined): void {
    if (e.writeError === error) return;
    e.writeError = error;
    this.ctx.lockWriteChanged(folder, error);
  }

  private schedule(): void {
    if (this.timer || ![...this.entries.values()].some(e => !e.lock)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retry();
    }, this.retryMs);
    this.timer.unref(); // never keeps the server alive on its own
  }

  private retry(): void {
    for (const [folder, e] of this.entries) {
      if (e.lock) continue;
      const before = e.heldBy?.pid;
      if (this.attempt(folder, e)) {
        this.ctx.lockTaken(folder);
        this.ctx.healthChanged();
        continue;
      }
      const mtime = manifestMtime(folder.storeDir);
      if (mtime !== e.manifestMtime) {
        e.manifestMtime = mtime;
        if (mtime !== undefined) this.ctx.savedByHolder(folder);
      }
      if (e.heldBy?.pid !== before) this.ctx.healthChanged();
    }
    this.schedule();
  }
}

function manifestMtime(storeDir: string): number | undefined {
  try {
    return fs.statSync(path.join(storeDir, 'manifest.json')).mtimeMs;
  } catch {
    return undefined;
  }
}
