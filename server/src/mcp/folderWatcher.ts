// The MCP server has no editor to say which files changed, so it watches its folders itself (chokidar: the
// one watcher that runs the same on Linux, macOS and Windows, with no native part to ship). Folders the
// index never descends (defaultExcludes.ts) are not watched: a node_modules of 100k folders would cost as
// many watches. Every other path that changes goes to the IndexService, which judges it as a full walk
// would (a .gitignored file stays out) and follows it.

import { watch } from 'chokidar';
import { isDefaultExcludedFolder, pathInside } from '../engine';
import type { Logger } from '../workspace/logging';
import { oneLine } from '../workspace/logging';

export interface FolderWatch {
  /** Settles once the folder is being watched: a change after it is seen. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function watchFolder(root: string, changed: (file: string) => void, log: Logger): FolderWatch {
  const watcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (file, stats) => {
      const rel = pathInside(root, file);
      return rel !== undefined && (stats === undefined || stats.isDirectory()) && isDefaultExcludedFolder(rel);
    },
  });
  watcher.on('all', (_event, file) => changed(file));
  let warned = false;
  watcher.on('error', e => {
    // Usually the system's limit of watches (Linux: fs.inotify.max_user_watches); the index stays as saved.
    if (!warned) log.warn(`Watching ${root} for changes failed (${oneLine(e)}); edits made from now on are indexed at the next start.`);
    warned = true;
  });
  const ready = new Promise<void>(resolve => watcher.once('ready', () => resolve()));
  return { ready, close: () => watcher.close() };
}
