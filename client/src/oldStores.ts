// Before a folder's store moved to the user's cache (one per real folder path, shared with the CLI and the
// MCP server: server/src/engine/store/storeLocation.ts), each workspace kept its folders' stores in VS Code's
// storage for this extension, as `<storage>/<16 hex digits>/`. Nothing reads them any more, so they are
// removed at activation instead of filling the disk. Only node:fs here (no vscode), so a unit test runs it.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The old stores' names: the first 16 hex digits of the sha256 of the folder's URI. */
const OLD_STORE_NAME = /^[0-9a-f]{16}$/;

export interface OldStoresRemoved {
  removed: number;
  bytes: number;
  /** Folders that could not be removed, with why, one line each. */
  failed: string[];
}

/**
 * The old store folders directly in `storageDir`: named by 16 hex digits and holding a store's manifest.json.
 * One whose lock is held is left alone (an older version of the extension in another window may still use
 * it); a lock left by a process of this machine that is gone no longer counts.
 */
export function oldStoreFolders(storageDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(storageDir);
  } catch {
    return []; // no storage folder yet
  }
  return names
    .filter(n => OLD_STORE_NAME.test(n))
    .map(n => path.join(storageDir, n))
    .filter(dir => isFile(path.join(dir, 'manifest.json')) && !lockHeld(path.join(dir, 'semsearch.lock')));
}

/** Removes the old stores in `storageDir`; never throws: a folder that cannot be removed is reported and left. */
export function removeOldStores(storageDir: string): OldStoresRemoved {
  const out: OldStoresRemoved = { removed: 0, bytes: 0, failed: [] };
  for (const dir of oldStoreFolders(storageDir)) {
    const bytes = folderBytes(dir);
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      out.removed++;
      out.bytes += bytes;
    } catch (e) {
      out.failed.push(`${dir}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** A lock file held by a live process, or one that cannot be told dead (another host's, unreadable). */
function lockHeld(lockFile: string): boolean {
  if (!fs.existsSync(lockFile)) return false;
  try {
    const { pid, hostname } = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid?: unknown; hostname?: unknown };
    if (typeof pid !== 'number' || hostname !== os.hostname()) return true;
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH'; // ESRCH: no such process, the lock is stale
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The bytes of the files directly in `dir` (a store has no subfolders); 0 for a folder that cannot be listed. */
function folderBytes(dir: string): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let total = 0;
  for (const name of names) {
    try {
      total += fs.statSync(path.join(dir, name)).size;
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}
