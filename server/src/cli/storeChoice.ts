// Which folder `index` indexes and which store folder a command uses: --store when given, else the
// folder's own store in the user's cache (engine/store/storeLocation.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultStoreDir, findDefaultStore } from '../engine';
import { UsageError } from './exitCodes';

/**
 * The folder to index, resolved. A default store is the real path's, so the folder is indexed under its real
 * path too (else a run through a symlink would find the saved root different and rebuild); --store keeps the
 * path as given.
 */
export function folderToIndex(folder: string, real: boolean): string {
  const given = path.resolve(folder);
  if (!fs.existsSync(given) || !fs.statSync(given).isDirectory())
    throw new Error(`${given} is not a folder; give the path of the folder to index.`);
  return real ? fs.realpathSync(given) : given;
}

/** --store, else the default store of the folder to index, or (search, files) of the current folder or the nearest one above it. */
export function storeOf(store: string | undefined, root: string | undefined): string {
  if (store !== undefined) {
    if (fs.existsSync(store) && !fs.statSync(store).isDirectory())
      throw new UsageError(`--store ${store} is a file; give a folder for the index`);
    return path.resolve(store);
  }
  if (root !== undefined) return defaultStoreDir(root);
  const found = findDefaultStore(process.cwd());
  if (!found)
    throw new Error(`No index of ${process.cwd()} or of a folder above it; run "semsearch index <folder>" first, or give --store <dir>.`);
  return found.storeDir;
}
