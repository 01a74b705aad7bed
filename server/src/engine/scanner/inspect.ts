// What one directory entry is, found with lstat (so links are seen as links) and, for a link, stat of its target.
import { promises as fsp, type Stats } from 'node:fs';

export type Entry =
  /** `target`: for a link, the real path it resolves to, so the walk can tell a link that leaves the folder. */
  | { kind: 'folder' | 'file' | 'special'; isLink: boolean; size: number; mtimeMs: number; target?: string }
  | { kind: 'dangling'; loop: boolean }
  | { kind: 'error'; error: unknown };

function fromStats(st: Stats, isLink: boolean): Entry {
  const kind = st.isDirectory() ? 'folder' : st.isFile() ? 'file' : 'special';
  return { kind, isLink, size: st.size, mtimeMs: st.mtimeMs };
}

async function inspectLink(absPath: string): Promise<Entry> {
  try {
    const entry = fromStats(await fsp.stat(absPath), true);
    return entry.kind === 'file' ? { ...entry, target: await fsp.realpath(absPath) } : entry;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'dangling', loop: false };
    if (code === 'ELOOP') return { kind: 'dangling', loop: true };
    return { kind: 'error', error };
  }
}

/** Never throws: an error is returned as an entry so that one bad entry cannot abort the walk. */
export async function inspect(absPath: string): Promise<Entry> {
  try {
    const st = await fsp.lstat(absPath);
    return st.isSymbolicLink() ? await inspectLink(absPath) : fromStats(st, false);
  } catch (error) {
    return { kind: 'error', error };
  }
}

/** inspect() over many paths, a bounded number at a time so a huge folder does not flood libuv's thread pool. */
export async function inspectAll(absPaths: readonly string[], concurrency = 64): Promise<Entry[]> {
  const out: Entry[] = [];
  for (let i = 0; i < absPaths.length; i += concurrency) {
    out.push(...(await Promise.all(absPaths.slice(i, i + concurrency).map(inspect))));
  }
  return out;
}
