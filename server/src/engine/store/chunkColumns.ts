// Each chunk's metadata as columns of typed arrays, one row per chunk of a segment: about 40 bytes a chunk
// where JS objects took several hundred, so a million chunks' metadata is tens of MB. No snippet is kept:
// results read their lines from the file when shown. A segment's columns are written to one file when it is
// sealed and read back whole (they are small); paths and kinds are tables of the segment's distinct values.

import * as fs from 'node:fs';
import { grown } from '../grown';
import { Steps, writeInSteps } from './steps';

export interface ChunkMeta {
  path: string;
  startLine: number;
  endLine: number;
  symbol: string;
  kind: string;
  /** The chunk's content key (chunkKeyId of chunkKey): finds the vectors of a changed file's unchanged chunks and collapses copies. */
  key?: string;
}

/** The stored form of a content key: its first 64 bits, in hex. A full key and its id name the same content. */
export function chunkKeyId(key: string): string {
  return /^[0-9a-f]{16}$/.test(key) ? key : Buffer.from(key, 'base64url').subarray(0, 8).toString('hex').padEnd(16, '0');
}

const MAGIC = 'semsearch-columns-1';

class Growable {
  array: Uint32Array;
  constructor(capacity: number) {
    this.array = new Uint32Array(capacity);
  }
  set(i: number, v: number): void {
    this.array = grown(this.array, i + 1);
    this.array[i] = v;
  }
}

export class ChunkColumns {
  private rows = 0;
  private readonly paths: string[] = [];
  private readonly pathIds = new Map<string, number>();
  private readonly kinds: string[] = [];
  private readonly kindIds = new Map<string, number>();
  private readonly pathCol = new Growable(1024);
  private readonly startCol = new Growable(1024);
  private readonly endCol = new Growable(1024);
  private readonly kindCol = new Growable(1024);
  private readonly keyHi = new Growable(1024);
  private readonly keyLo = new Growable(1024);
  private readonly symbolEnds = new Growable(1024);
  private symbols = Buffer.alloc(16 * 1024);
  private symbolBytes = 0;

  get count(): number {
    return this.rows;
  }

  /** Appends a chunk's row; returns its row number. */
  push(meta: ChunkMeta): number {
    const row = this.rows++;
    this.pathCol.set(row, idOf(meta.path, this.paths, this.pathIds));
    this.startCol.set(row, meta.startLine);
    this.endCol.set(row, meta.endLine);
    this.kindCol.set(row, idOf(meta.kind, this.kinds, this.kindIds));
    const key = meta.key ? Buffer.from(chunkKeyId(meta.key), 'hex') : Buffer.alloc(8);
    this.keyHi.set(row, key.readUInt32BE(0));
    this.keyLo.set(row, key.readUInt32BE(4));
    const sym = Buffer.from(meta.symbol, 'utf8');
    if (this.symbolBytes + sym.length > this.symbols.length) {
      const grown = Buffer.alloc(Math.max(this.symbols.length * 2, this.symbolBytes + sym.length));
      this.symbols.copy(grown, 0, 0, this.symbolBytes);
      this.symbols = grown;
    }
    sym.copy(this.symbols, this.symbolBytes);
    this.symbolBytes += sym.length;
    this.symbolEnds.set(row, this.symbolBytes);
    return row;
  }

  path(row: number): string {
    return this.paths[this.pathCol.array[row]];
  }

  meta(row: number): ChunkMeta {
    const hi = this.keyHi.array[row],
      lo = this.keyLo.array[row];
    const begin = row === 0 ? 0 : this.symbolEnds.array[row - 1];
    return {
      path: this.path(row),
      startLine: this.startCol.array[row],
      endLine: this.endCol.array[row],
      symbol: this.symbols.toString('utf8', begin, this.symbolEnds.array[row]),
      kind: this.kinds[this.kindCol.array[row]],
      ...(hi || lo ? { key: hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0') } : {}),
    };
  }

  /** The file form: a header line (JSON: counts and the path and kind tables), then the columns' bytes. */
  /** Writes the columns to `file`, a slice per step (steps.ts). */
  *writeSteps(file: string): Steps<void> {
    const n = this.rows;
    const header = Buffer.from(
      JSON.stringify({ magic: MAGIC, rows: n, symbolBytes: this.symbolBytes, paths: this.paths, kinds: this.kinds }) + '\n',
    );
    const cols = [this.pathCol, this.startCol, this.endCol, this.kindCol, this.keyHi, this.keyLo, this.symbolEnds].map(c =>
      Buffer.from(c.array.buffer, c.array.byteOffset, n * 4),
    );
    yield* writeInSteps(file, Buffer.concat([header, ...cols, this.symbols.subarray(0, this.symbolBytes)]));
  }

  static read(file: string): ChunkColumns {
    const data = fs.readFileSync(file);
    const eol = data.indexOf(10);
    const fail = (why: string) => new Error(`${file} is not a chunk metadata file (${why})`);
    if (eol < 0) throw fail('no header');
    let header: { magic: string; rows: number; symbolBytes: number; paths: string[]; kinds: string[] };
    try {
      header = JSON.parse(data.toString('utf8', 0, eol));
    } catch {
      throw fail('unreadable header');
    }
    if (header.magic !== MAGIC) throw fail('unknown format');
    const n = header.rows;
    if (data.length !== eol + 1 + n * 4 * 7 + header.symbolBytes) throw fail(`${data.length} bytes for ${n} rows`);
    const c = new ChunkColumns();
    c.rows = n;
    header.paths.forEach(p => {
      c.pathIds.set(p, c.paths.length);
      c.paths.push(p);
    });
    header.kinds.forEach(k => {
      c.kindIds.set(k, c.kinds.length);
      c.kinds.push(k);
    });
    let at = eol + 1;
    for (const col of [c.pathCol, c.startCol, c.endCol, c.kindCol, c.keyHi, c.keyLo, c.symbolEnds]) {
      // A copy, so the columns do not keep the whole file's buffer alive (and are 4-byte aligned).
      col.array = new Uint32Array(n);
      Buffer.from(col.array.buffer).set(data.subarray(at, at + n * 4));
      at += n * 4;
    }
    c.symbols = Buffer.from(data.subarray(at, at + header.symbolBytes));
    c.symbolBytes = header.symbolBytes;
    return c;
  }
}

function idOf(value: string, table: string[], ids: Map<string, number>): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = table.length;
    table.push(value);
    ids.set(value, id);
  }
  return id;
}
