// Where a folder's index lives when nobody says: one store per real folder under the user's cache folder, so
// `semsearch index .`, a later `semsearch search` in that folder, the editor's language server and the MCP
// server all find the same one (and its lock: one of them writes, the others read what it saves).

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** SEMSEARCH_CACHE_DIR, else the platform's per-user cache folder. */
export function userCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = os.homedir(),
): string {
  if (env.SEMSEARCH_CACHE_DIR) return path.resolve(env.SEMSEARCH_CACHE_DIR);
  if (platform === 'win32') return env.LOCALAPPDATA || path.join(home, 'AppData', 'Local');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches');
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and to be ignored.
  return env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, '.cache');
}

/** `<cache>/semsearch/stores`: every folder's default store is below it, for the CLI, the language server and the MCP server alike. */
export function defaultStoresDir(cacheRoot = userCacheDir()): string {
  return path.join(cacheRoot, 'semsearch', 'stores');
}

/**
 * `<stores>/<name>-<16 hex of sha256(real path)>`: named by the real path, so a folder reached through a
 * symlink shares its store; the name is only for people looking. Throws if the folder does not exist.
 */
export function defaultStoreDir(folder: string, storesDir = defaultStoresDir()): string {
  return storeDirOfRealPath(fs.realpathSync(folder), storesDir);
}

/** The folder, or the nearest folder above it, that has a saved index in its default store; undefined if none. */
export function findDefaultStore(folder: string, storesDir = defaultStoresDir()): { root: string; storeDir: string } | undefined {
  // A parent of a real path is a real path: no realpath per step.
  for (let dir = fs.realpathSync(folder); ; dir = path.dirname(dir)) {
    const storeDir = storeDirOfRealPath(dir, storesDir);
    if (fs.existsSync(path.join(storeDir, 'manifest.json'))) return { root: dir, storeDir };
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** defaultStoreDir of a path already made real (the language server's folders keep theirs). */
export function storeDirOfRealPath(real: string, storesDir: string): string {
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 16);
  // A file name may be 255 bytes; a long folder name is cut (by code point), the hash keeps it unique.
  const name = [...(path.basename(real) || 'root')].slice(0, 64).join('');
  return path.join(storesDir, `${name}-${hash}`);
}
