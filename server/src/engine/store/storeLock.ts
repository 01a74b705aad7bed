// One writer per store folder: two servers (or a server and the CLI) on one store would otherwise interleave
// their saves and corrupt it. The lock is a file created exclusively ('wx') in the store folder, holding who
// took it; the loser reads the saved index or waits. A holder that died without releasing (SIGKILL, a
// crash) leaves the file behind: its pid is checked on this host and a dead holder's lock is taken over.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const LOCK_FILE = 'semsearch.lock';
/** An empty or unparsable lock file younger than this is being written, not abandoned. */
const HALF_WRITTEN_GRACE_MS = 5000;

export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  since: string;
}

/** Told who left the stale lock that was taken over; undefined when its file was empty or half-written. */
export type TakeoverListener = (stale: LockHolder | undefined) => void;

/** Locks held by this process, released at exit (best effort: SIGKILL skips it, and the next taker sees a dead pid). */
const held = new Set<StoreLock>();
let exitHookInstalled = false;

export class StoreLock {
  private released = false;

  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {}

  /**
   * Takes the lock of `storeDir` (creating the folder), or returns who holds it. `onTakeover` is told when the
   * lock was taken over from a dead holder (undefined: one that died while writing the file), so the user
   * learns that a run before was killed.
   */
  static tryAcquire(storeDir: string, onTakeover?: TakeoverListener): { lock: StoreLock } | { heldBy: LockHolder } {
    fs.mkdirSync(storeDir, { recursive: true });
    const file = path.join(storeDir, LOCK_FILE);
    const me: LockHolder = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() };
    // Two attempts: the second after removing a stale lock (another taker may win that race; then it holds).
    let stale: { holder?: LockHolder } | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx');
        try {
          fs.writeSync(fd, JSON.stringify(me));
        } finally {
          fs.closeSync(fd);
        }
        const lock = new StoreLock(file, me);
        track(lock);
        if (stale) onTakeover?.(stale.holder);
        return { lock };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readHolder(file);
      if (holder && isAlive(holder)) return { heldBy: holder };
      // An unreadable lock may be one a live taker created an instant ago and is still writing.
      if (!holder && writtenWithin(file, HALF_WRITTEN_GRACE_MS))
        return { heldBy: { pid: 0, hostname: '', since: new Date().toISOString() } };
      if (removeStale(file, holder)) stale = { holder };
    }
    return { heldBy: readHolder(file) ?? { pid: 0, hostname: '', since: '' } };
  }

  /**
   * Takes the lock, retrying every `pollMs` until `timeoutMs` has passed; `onWait` is told once who holds it.
   * Returns undefined on timeout.
   */
  static async acquire(
    storeDir: string,
    opts: { timeoutMs: number; pollMs?: number; onWait?: (h: LockHolder) => void; onTakeover?: TakeoverListener },
  ): Promise<StoreLock | undefined> {
    const deadline = Date.now() + opts.timeoutMs;
    let told = false;
    for (;;) {
      const r = StoreLock.tryAcquire(storeDir, opts.onTakeover);
      if ('lock' in r) return r.lock;
      if (!told) {
        opts.onWait?.(r.heldBy);
        told = true;
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise(res => setTimeout(res, Math.min(opts.pollMs ?? 250, Math.max(1, deadline - Date.now()))));
    }
  }

  /** Who holds the lock of `storeDir` now (a live holder only), without taking it. */
  static holder(storeDir: string): LockHolder | undefined {
    const h = readHolder(path.join(storeDir, LOCK_FILE));
    return h && isAlive(h) ? h : undefined;
  }

  /** Removes the lock file if it is still ours (a takeover after we were thought dead must not be undone). */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    const now = readHolder(this.file);
    if (now && now.pid === this.holder.pid && now.since === this.holder.since && now.hostname === this.holder.hostname) {
      try {
        fs.unlinkSync(this.file);
      } catch {
        /* already gone */
      }
    }
  }
}

function track(lock: StoreLock): void {
  held.add(lock);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const l of [...held]) l.release();
  });
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' ? h : undefined;
  } catch {
    // Missing, or half-written by a taker that died between create and write: treated as stale.
    return undefined;
  }
}

/** A holder on another host cannot be checked, so it is taken as alive; on this host, ESRCH means dead. */
function isAlive(h: LockHolder): boolean {
  if (h.hostname !== os.hostname()) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, someone else's
  }
}

function writtenWithin(file: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < ms;
  } catch {
    return false;
  }
}

/** Removes a stale lock unless it changed since it was read (another process took it over meanwhile); true if removed. */
function removeStale(file: string, seen: LockHolder | undefined): boolean {
  const now = readHolder(file);
  if (JSON.stringify(now) !== JSON.stringify(seen)) return false;
  try {
    fs.unlinkSync(file);
    return true;
  } catch {
    return false; /* another taker removed it first */
  }
}
