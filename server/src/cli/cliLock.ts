// The CLI's side of the store lock: `index` writes, so it takes the lock, waiting for another writer (a
// language server or another `semsearch index`) up to --lock-timeout; `search` and `files` only read the
// saved index, which is written atomically, so they never wait and only say that a writer is at work.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { LockHolder, StoreLock, writeFailureText } from '../engine';

export const DEFAULT_LOCK_TIMEOUT_S = 300;

function who(h: LockHolder): string {
  return `another semsearch process (pid ${h.pid}${h.hostname ? ` on ${h.hostname}` : ''}, since ${h.since})`;
}

/** Takes the store's lock for `index`, or throws a one-line error once `timeoutS` seconds have passed. */
export async function lockForIndex(storeDir: string, timeoutS: number, say: (line: string) => void): Promise<StoreLock> {
  let holder: LockHolder | undefined;
  const lock = await StoreLock.acquire(storeDir, {
    timeoutMs: timeoutS * 1000,
    onWait: h => {
      holder = h;
      say(`${who(h)} is indexing this store; waiting up to ${timeoutS}s (--lock-timeout)…`);
    },
    // A lock left behind means a run before was killed (kill -9, a crash): its checkpoints are what resumes.
    onTakeover: stale =>
      say(
        stale
          ? `took over a stale lock left by pid ${stale.pid} (no longer running; it took the lock at ${stale.since})`
          : 'took over a lock file left unfinished by a process that died while taking it',
      ),
  }).catch((e: NodeJS.ErrnoException) => {
    // The lock is the first thing index writes: a read-only or full store folder shows here, before any work.
    if (!e.code) throw e;
    throw new Error(`Cannot index into ${storeDir}: creating its lock file failed: ${writeFailureText(e, storeDir)}`);
  });
  if (!lock)
    throw new Error(
      `${holder ? who(holder) : 'another semsearch process'} still holds the store ${storeDir} after ${timeoutS}s; try again later or raise --lock-timeout.`,
    );
  if (holder) say('the store is free; indexing.');
  return lock;
}

/**
 * For `search` and `files`: a note that results come from the last saved index while another process writes,
 * or, when that process has saved nothing yet (its first run, before its first checkpoint), one line saying so
 * instead of a note followed by "no index".
 */
export function noteWriter(storeDir: string, say: (line: string) => void): void {
  const h = StoreLock.holder(storeDir);
  if (!h || h.pid === process.pid) return;
  if (!fs.existsSync(path.join(storeDir, 'manifest.json')))
    throw new Error(
      `${who(h)} is building this index and has saved nothing yet; try again in a moment (its first save comes after a few hundred chunks).`,
    );
  say(`${who(h)} is indexing this store; reading the last saved index.`);
}
