// The store's own copy of each vector: int8 codes scaled per vector by its largest component (a float32
// scale after the codes), so a 256-dimension vector takes 260 bytes. The graph (usearch, int8 at a fixed
// scale of 1/127) finds candidates; these codes re-score them, feed a merge of segments, answer exact scans
// and give a changed file back the vectors of its unchanged chunks. Per-vector scaling keeps ~8 bits of
// resolution where the graph's fixed scale leaves 3 or 4 for a normalised 256-d vector (components ~0.06).

import * as fs from 'node:fs';

export function rowBytesOf(dims: number): number {
  return dims + 4;
}

/** Writes `vector`'s codes and scale into `out` at byte `at`. */
export function encodeInto(vector: Float32Array, out: Buffer, at: number): void {
  let max = 0;
  for (const v of vector) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  const codes = new Int8Array(out.buffer, out.byteOffset + at, vector.length);
  for (let d = 0; d < vector.length; d++) codes[d] = Math.round(vector[d] / scale);
  out.writeFloatLE(scale, at + vector.length);
}

export function decodeRow(row: Buffer, dims: number): Float32Array {
  const scale = row.readFloatLE(dims);
  const codes = new Int8Array(row.buffer, row.byteOffset, dims);
  const out = new Float32Array(dims);
  for (let d = 0; d < dims; d++) out[d] = codes[d] * scale;
  return out;
}

/** Cosine similarity of a query with a stored row (the codes need not be normalised). */
export function cosineWithRow(query: Float32Array, queryNorm: number, row: Buffer, dims: number): number {
  const codes = new Int8Array(row.buffer, row.byteOffset, dims);
  let dot = 0,
    norm = 0;
  for (let d = 0; d < dims; d++) {
    const c = codes[d];
    dot += query[d] * c;
    norm += c * c;
  }
  return dot / ((Math.sqrt(norm) || 1) * (queryNorm || 1));
}

/** The graph's cosine space on int8 assumes unit vectors: what goes in, and what a search asks with. */
export function unit(v: Float32Array): Float32Array {
  const n = normOf(v);
  if (n === 0 || Math.abs(n - 1) < 1e-6) return v;
  return v.map(x => x / n);
}

export function normOf(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/** The rows of a growing segment, in memory until it is sealed. */
export class CodeRows {
  private buf: Buffer;
  private rows = 0;
  readonly rowBytes: number;

  constructor(
    readonly dims: number,
    capacity = 1024,
  ) {
    this.rowBytes = rowBytesOf(dims);
    this.buf = Buffer.alloc(capacity * this.rowBytes);
  }

  get count(): number {
    return this.rows;
  }

  push(vector: Float32Array): void {
    if ((this.rows + 1) * this.rowBytes > this.buf.length) {
      const grown = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(grown);
      this.buf = grown;
    }
    encodeInto(vector, this.buf, this.rows * this.rowBytes);
    this.rows++;
  }

  row(i: number): Buffer {
    return this.buf.subarray(i * this.rowBytes, (i + 1) * this.rowBytes);
  }

  /** The bytes of every row, as a sealed segment's codes file holds them. */
  bytes(): Buffer {
    return this.buf.subarray(0, this.rows * this.rowBytes);
  }
}

/** A sealed segment's codes file, read a row at a time (the page cache holds what is hot, not the heap). */
export class CodeFile {
  private readonly fd: number;
  readonly rowBytes: number;

  constructor(
    file: string,
    readonly dims: number,
    readonly rows: number,
  ) {
    this.rowBytes = rowBytesOf(dims);
    this.fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(this.fd).size;
    if (size !== rows * this.rowBytes) {
      fs.closeSync(this.fd);
      throw new Error(`${file} holds ${size} bytes, not the ${rows * this.rowBytes} of ${rows} vectors`);
    }
  }

  row(i: number, into: Buffer = Buffer.alloc(this.rowBytes)): Buffer {
    fs.readSync(this.fd, into, 0, this.rowBytes, i * this.rowBytes);
    return into;
  }

  /** Rows first..first+count-1 in one read: merges and exact scans go through the file in large steps. */
  rowsAt(first: number, count: number): Buffer {
    const out = Buffer.alloc(count * this.rowBytes);
    fs.readSync(this.fd, out, 0, out.length, first * this.rowBytes);
    return out;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
