// Reads one candidate file and decides by content whether it is indexable text.
import { constants, promises as fsp } from 'node:fs';
import type { CandidateFile } from '../types';
import { dataFileDetail, dataKindByContent, dataKindByName } from './dataFiles';
import { decode } from './decode';
import { pathInside } from './insideFolder';
import { isMinified, lineStats, minifiedDetail } from './lineStats';
import { errorToSkip, tooLargeDetail, type SkipOutcome } from './reports';

export interface ReadOptions {
  maxFileBytes: number;
  maxLineChars: number;
  /** The indexDataFiles setting: when false, data files (dataFiles.ts) are skipped. */
  indexDataFiles: boolean;
}

export type ReadResult =
  | { ok: true; text: string; longLines: number; note?: string } // note: e.g. read as Latin-1
  | ({ ok: false } & SkipOutcome);

/** Prose is never minified; its unwrapped paragraphs would look like wide lines to the line rule. */
const PROSE_EXTENSIONS = new Set(['md', 'mdx', 'markdown', 'txt', 'rst', 'adoc', 'asciidoc', 'org', 'tex']);

type Bytes =
  { kind: 'bytes'; bytes: Buffer } | { kind: 'too-large'; size: number } | { kind: 'special' } | { kind: 'outside'; target: string };

/** Real paths of the folders being indexed, by their path as given: one realpath per folder, not per file. */
const realRoots = new Map<string, Promise<string>>();

function realRootOf(file: CandidateFile): Promise<string> {
  const root = file.absPath.slice(0, file.absPath.length - file.path.length - 1);
  let real = realRoots.get(root);
  if (!real) {
    real = fsp.realpath(root);
    real.catch(() => realRoots.delete(root));
    realRoots.set(root, real);
  }
  return real;
}

/**
 * Where the open file really is. The walk refused links leading out of the folder, but a file can be swapped
 * for such a link after the walk; on Linux /proc names the file actually opened, elsewhere realpath is close.
 */
async function openedPath(fd: number, absPath: string): Promise<string> {
  try {
    return await fsp.readlink(`/proc/self/fd/${fd}`);
  } catch {
    return fsp.realpath(absPath);
  }
}

/**
 * Reads at most cap + 1 bytes: the spare byte reveals a file that grew past the cap since the walk, so the
 * cap holds even then. O_NONBLOCK keeps open() from hanging on a FIFO that replaced the file.
 */
async function readCapped(file: CandidateFile, cap: number): Promise<Bytes> {
  const realRoot = await realRootOf(file);
  const fh = await fsp.open(file.absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { kind: 'special' };
    const target = await openedPath(fh.fd, file.absPath);
    if (pathInside(realRoot, target) === undefined) return { kind: 'outside', target };
    if (st.size > cap) return { kind: 'too-large', size: st.size };
    const parts: Buffer[] = [];
    let total = 0;
    for (let want = st.size + 1; total <= cap; want = 64 * 1024) {
      const buf = Buffer.allocUnsafe(Math.min(want, cap + 1 - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, total);
      if (bytesRead === 0) break;
      parts.push(buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > cap) return { kind: 'too-large', size: (await fh.stat()).size };
    return { kind: 'bytes', bytes: parts.length === 1 ? parts[0] : Buffer.concat(parts, total) };
  } finally {
    await fh.close();
  }
}

const skipped = (reason: SkipOutcome['reason'], detail: string): ReadResult => ({ ok: false, status: 'skipped', reason, detail });

const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

function isProse(path: string): boolean {
  const name = nameOf(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 && PROSE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/**
 * The data-file rule on what was read: by name again (with the size read, for a file that grew past the
 * structured-data size since the walk), then by content.
 */
function dataKindOfRead(path: string, byteLength: number, text: string): string | undefined {
  const name = nameOf(path);
  return dataKindByName(name, byteLength) ?? dataKindByContent(name, text);
}

/** Judges decoded text: empty, data, minified, or indexable with `longLines` lines for the chunker to leave out. */
function judgeText(path: string, text: string, byteLength: number, opts: ReadOptions, note?: string): ReadResult {
  const stats = lineStats(text, opts.maxLineChars);
  if (stats.nonBlank === 0) {
    return skipped('empty', text.length === 0 ? 'The file is empty.' : 'The file holds only whitespace.');
  }
  // Before the minified rule: one-line JSON data is better described as data than as minified code.
  const data = opts.indexDataFiles ? undefined : dataKindOfRead(path, byteLength, text);
  if (data) return skipped('data-file', dataFileDetail(data));
  if (!isProse(path) && isMinified(stats)) return skipped('minified', minifiedDetail(stats, opts.maxLineChars));
  return note === undefined ? { ok: true, text, longLines: stats.long } : { ok: true, text, longLines: stats.long, note };
}

/** Reads a file the walk accepted and checks its content. Never throws: errors become skip outcomes. */
export async function readSourceFile(file: CandidateFile, opts: ReadOptions): Promise<ReadResult> {
  let read: Bytes;
  try {
    read = await readCapped(file, opts.maxFileBytes);
  } catch (err) {
    return { ok: false, ...errorToSkip(err, 'file') };
  }
  if (read.kind === 'special') return skipped('special-file', 'It is no longer a regular file (now a socket, pipe, device or folder).');
  if (read.kind === 'outside') {
    return skipped('outside-folder', `Now a symlink to ${read.target}, outside the indexed folder; files outside it are never read.`);
  }
  if (read.kind === 'too-large') return skipped('too-large', tooLargeDetail(read.size, opts.maxFileBytes));
  const decoded = decode(read.bytes);
  if (!decoded.ok) return skipped('binary', decoded.detail);
  return judgeText(file.path, decoded.text, read.bytes.length, opts, decoded.note);
}
