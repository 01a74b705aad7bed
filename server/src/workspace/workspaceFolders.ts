// The workspace folders the client opened, each with its store folder and (once the model is loaded) its
// FolderIndex. A folder's store is its default one (engine/store/storeLocation.ts), the same the CLI and the
// MCP server open for it, so one of them indexes and the others read what it saves. Maps URIs the client sends
// to a folder and a '/'-separated relative path, and back; anything
// outside every folder maps to nothing, so no request can reach a file outside the workspace.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathInside, storeDirOfRealPath, type FolderIndex } from '../engine';

export interface WorkspaceFolder {
  uri: string;
  name: string;
  /** The folder as its URI names it: what the client's file URIs are matched against. */
  root: string;
  /** The folder's real path, which the index reads through: a saved index records the root it was built for. */
  realRoot: string;
  storeDir: string;
  index?: FolderIndex;
}

/** A file:// URI as a file-system path, or undefined for other schemes and malformed URIs. */
export function fsPathOf(uri: string): string | undefined {
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  try {
    const p = path.resolve(fileURLToPath(uri));
    // A NUL (%00) cannot be in a real path: the file system would refuse it, leaving a junk 'unreadable' report.
    return p.includes('\0') ? undefined : p;
  } catch {
    return undefined;
  }
}

export class WorkspaceFolders {
  private readonly byUri = new Map<string, WorkspaceFolder>();

  /** `storesDir`: where every folder's store goes (defaultStoresDir(), unless a test gives its own). */
  constructor(private readonly storesDir: string) {}

  /** Adds a folder; returns undefined (nothing to index) for a URI that is not on the local disk. */
  add(uri: string, name: string): WorkspaceFolder | undefined {
    const root = fsPathOf(uri);
    if (!root) return undefined;
    let realRoot = root;
    try {
      realRoot = fs.realpathSync(root);
    } catch {
      /* not there (yet): its run says so */
    }
    const storeDir = storeDirOfRealPath(realRoot, this.storesDir);
    const folder: WorkspaceFolder = { uri, name, root, realRoot, storeDir };
    this.byUri.set(uri, folder);
    return folder;
  }

  remove(uri: string): WorkspaceFolder | undefined {
    const folder = this.find(uri);
    if (folder) this.byUri.delete(folder.uri);
    return folder;
  }

  /** True while this very folder (not another one added later with its URI) is in the workspace. */
  has(folder: WorkspaceFolder): boolean {
    return this.byUri.get(folder.uri) === folder;
  }

  all(): WorkspaceFolder[] {
    return [...this.byUri.values()];
  }

  /** The folder with this URI, matched by path so differently encoded URIs of one folder agree. */
  find(uri: string): WorkspaceFolder | undefined {
    const exact = this.byUri.get(uri);
    if (exact) return exact;
    const p = fsPathOf(uri);
    return p === undefined ? undefined : this.all().find(f => f.root === p);
  }

  /** The innermost folder holding `uri` and the path inside it; undefined outside every folder. */
  locate(uri: string): { folder: WorkspaceFolder; relPath: string } | undefined {
    const p = fsPathOf(uri);
    if (p === undefined) return undefined;
    let best: { folder: WorkspaceFolder; relPath: string } | undefined;
    for (const folder of this.all()) {
      const relPath = pathInside(folder.root, p);
      if (relPath === undefined) continue;
      if (!best || folder.root.length > best.folder.root.length) best = { folder, relPath };
    }
    return best;
  }
}

/** The URI of a path inside a folder, in the folder URI's own style ('dir/' reports become the folder's URI). */
export function uriOf(folder: WorkspaceFolder, relPath: string): string {
  const segments = relPath.replace(/\/$/, '').split('/').map(encodeURIComponent);
  return `${folder.uri.replace(/\/$/, '')}/${segments.join('/')}`;
}
