// The lines of the files a search reads back (pasted-code queries check their best candidates' lines, every
// result shows its first lines): the store keeps no text. On the bench corpus a hybrid search read 25 files,
// the same ones query after query. Recently read files are kept split into lines, up to MAX_BYTES of text,
// and used again while the file is unchanged: same size, mtime, ctime and inode (a stat, not a read).

import * as fs from 'node:fs';

/** Text kept per folder index, UTF-16 code units counted as 2 bytes: a few large files or many small ones. */
const MAX_BYTES = 16 << 20;

interface Entry {
  size: number;
  mtimeMs: number;
  /** Changed by any write, and by a file replaced under the same name, even one with the same size and mtime. */
  ctimeMs: number;
  ino: number;
  lines: string[];
  bytes: number;
}

export class FileLines {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  /** `read`: a file's text as the index decodes it, undefined when gone, too large or unreadable. */
  constructor(
    private readonly read: (file: string) => Promise<string | undefined>,
    private readonly maxBytes = MAX_BYTES,
  ) {}

  /** A file's lines as it is now; undefined when it cannot be read. */
  async lines(file: string): Promise<string[] | undefined> {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      this.forget(file);
      return undefined;
    }
    const kept = this.entries.get(file);
    if (kept && kept.size === stat.size && kept.mtimeMs === stat.mtimeMs && kept.ctimeMs === stat.ctimeMs && kept.ino === stat.ino) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(file);
      this.entries.set(file, kept);
      return kept.lines;
    }
    const text = await this.read(file);
    // A stale entry goes; so does one a search running at once kept meanwhile, so no byte is counted twice.
    this.forget(file);
    if (text === undefined) return undefined;
    const entry = {
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      ctimeMs: stat.ctimeMs,
      ino: stat.ino,
      lines: text.split('\n'),
      bytes: text.length * 2,
    };
    if (entry.bytes <= this.maxBytes) {
      this.entries.set(file, entry);
      this.bytes += entry.bytes;
      for (const [old, e] of this.entries) {
        if (this.bytes <= this.maxBytes) break;
        this.entries.delete(old);
        this.bytes -= e.bytes;
      }
    }
    return entry.lines;
  }

  private forget(file: string): void {
    const e = this.entries.get(file);
    if (!e) return;
    this.entries.delete(file);
    this.bytes -= e.bytes;
  }
}
