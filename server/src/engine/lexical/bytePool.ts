// Growable byte lists in shared pages, for the lexical builder's posting lists (lexicalBuilder.ts): a list
// is written only at its end, in slices that double in size, so a million short lists cost no JS object each
// and a long one is not copied as it grows.

import { grown } from '../grown';

/**
 * Bytes of a list's successive slices; the last 4 of each hold the next slice's address. The first fits one
 * posting (most terms of code are seen once), later ones double, up to a size that bounds the waste.
 */
const SLICE_BYTES = [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
const PAGE_BITS = 16;
const PAGE_BYTES = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_BYTES - 1;

/** Growable byte lists in shared pages, written at their ends: a list's bytes are its slices' in order. */
export class BytePool {
  private readonly pages: Uint8Array[] = [];
  private pageUsed = PAGE_BYTES;
  private head = new Uint32Array(1024);
  private tail = new Uint32Array(1024);
  /** Where the current slice's address field starts: a write there first moves the list to a new slice. */
  private end = new Uint32Array(1024);
  private size = new Uint32Array(1024);
  private level = new Uint8Array(1024);
  private count = 0;
  private current = 0;

  create(): number {
    const list = this.count++;
    if (list === this.head.length) {
      this.head = grown(this.head, list + 1);
      this.tail = grown(this.tail, list + 1);
      this.end = grown(this.end, list + 1);
      this.size = grown(this.size, list + 1);
      this.level = grown(this.level, list + 1);
    }
    const at = this.alloc(SLICE_BYTES[0]);
    this.head[list] = this.tail[list] = at;
    this.end[list] = at + SLICE_BYTES[0] - 4;
    return list;
  }

  /** Makes `put` append to this list. */
  select(list: number): void {
    this.current = list;
  }

  readonly put = (byte: number): void => {
    const list = this.current;
    let at = this.tail[list];
    if (at === this.end[list]) at = this.nextSlice(list, at);
    this.pages[at >>> PAGE_BITS][at & PAGE_MASK] = byte;
    this.tail[list] = at + 1;
    this.size[list]++;
  };

  byteLength(list: number): number {
    return this.size[list];
  }

  bytes(list: number): Uint8Array {
    const out = new Uint8Array(this.size[list]);
    this.copyTo(list, out, 0);
    return out;
  }

  copyTo(list: number, target: Uint8Array, offset: number): void {
    let at = this.head[list];
    let level = 0;
    let left = this.size[list];
    for (;;) {
      const end = at + SLICE_BYTES[level] - 4;
      const n = Math.min(left, end - at);
      target.set(this.pages[at >>> PAGE_BITS].subarray(at & PAGE_MASK, (at & PAGE_MASK) + n), offset);
      offset += n;
      left -= n;
      if (left === 0) return;
      at = this.readAddress(end);
      level = Math.min(level + 1, SLICE_BYTES.length - 1);
    }
  }

  get memoryBytes(): number {
    return this.pages.length * PAGE_BYTES + this.head.byteLength * 4 + this.level.byteLength;
  }

  private nextSlice(list: number, at: number): number {
    const level = Math.min(this.level[list] + 1, SLICE_BYTES.length - 1);
    const next = this.alloc(SLICE_BYTES[level]);
    const page = this.pages[at >>> PAGE_BITS];
    const o = at & PAGE_MASK;
    page[o] = next & 255;
    page[o + 1] = (next >>> 8) & 255;
    page[o + 2] = (next >>> 16) & 255;
    page[o + 3] = next >>> 24;
    this.level[list] = level;
    this.end[list] = next + SLICE_BYTES[level] - 4;
    return next;
  }

  private readAddress(at: number): number {
    const page = this.pages[at >>> PAGE_BITS];
    const o = at & PAGE_MASK;
    return (page[o] | (page[o + 1] << 8) | (page[o + 2] << 16)) + page[o + 3] * 2 ** 24;
  }

  /** `bytes` free bytes within one page; addresses are 32-bit, so a builder holds at most 4 GiB of postings. */
  private alloc(bytes: number): number {
    if (this.pageUsed + bytes > PAGE_BYTES) {
      if (this.pages.length === 2 ** (32 - PAGE_BITS))
        throw new Error('lexical builder: over 4 GiB of postings in one segment; seal segments sooner');
      this.pages.push(new Uint8Array(PAGE_BYTES));
      this.pageUsed = 0;
    }
    const at = (this.pages.length - 1) * PAGE_BYTES + this.pageUsed;
    this.pageUsed += bytes;
    return at;
  }
}
