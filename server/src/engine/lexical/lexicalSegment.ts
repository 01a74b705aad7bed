// A sealed segment's lexical part: its file's dictionary and row lengths are held in memory, its postings
// stay on disk and are read when a query asks for them. The file, little-endian, every section 8-aligned:
//
//   header (64 bytes): magic "SEMSLEX\0", u32 version, u32 flags (1: stemmed terms), u32 rows added,
//     u32 first row, u32 row span, u32 terms, u32 term bytes, u32 posting bytes, f64 x 3 field totals
//   u32 termStarts[terms + 1]        where each term's UTF-8 starts in termBytes
//   u32 df[terms x 3]                 per term and field (body, name, path)
//   u32 postingStarts[terms x 3 + 1]  where each term and field's postings start in the postings section
//   u16 lengths[span x 3]             per row from the first row: its field lengths
//   u8  present[ceil(span / 8)]       a bit per row: whether it was added (rows may skip numbers)
//   u8  termBytes                     the terms, sorted by UTF-16 code units (JavaScript's string order)
//   u8  postings                      lexicalPart.ts's encoding, term by term, field by field
//
// In memory that is ~28 bytes a term plus its characters, and 6.1 bytes a row.

import * as fs from 'node:fs';
import type { TermOptions } from './codeTerms';
import { decodePostings, FIELD_INDEX, LexicalField, LexicalPart, Postings } from './lexicalPart';
import { Steps, writeInSteps } from '../store/steps';

const MAGIC = Buffer.from('SEMSLEX\0', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 64;

/** What a builder hands to writeLexicalSegment; `slot` is term index x 3 + field, over sortedTerms. */
export interface SegmentContents {
  terms: TermOptions;
  rows: number;
  firstRow: number;
  rowSpan: number;
  totals: number[];
  lengths: Uint16Array;
  present: Uint8Array;
  sortedTerms: string[];
  docFrequency(slot: number): number;
  postingBytes(slot: number): number;
  copyPostings(slot: number, target: Uint8Array, at: number): void;
}

/** Where each section lies, from the header's counts. */
function layout(terms: number, termBytes: number, rowSpan: number, postingBytes: number) {
  const align = (n: number) => Math.ceil(n / 8) * 8;
  const termStarts = HEADER_BYTES;
  const df = align(termStarts + 4 * (terms + 1));
  const postingStarts = align(df + 4 * terms * 3);
  const lengths = align(postingStarts + 4 * (terms * 3 + 1));
  const present = align(lengths + 2 * rowSpan * 3);
  const termText = align(present + Math.ceil(rowSpan / 8));
  const postings = align(termText + termBytes);
  return { termStarts, df, postingStarts, lengths, present, termText, postings, total: postings + postingBytes };
}

/** Terms a step of writing handles (see steps.ts). */
export const TERMS_PER_STEP = 16_384;

/** Writes a segment file through storeFs (so disk faults can be injected), a slice per step; returns its bytes. */
export function* writeLexicalSegment(file: string, c: SegmentContents): Steps<number> {
  const terms = c.sortedTerms.length;
  let termBytes = 0;
  for (let i = 0; i < terms; i++) termBytes += Buffer.byteLength(c.sortedTerms[i], 'utf8');
  yield;
  const slots = terms * 3;
  let postingBytes = 0;
  for (let s = 0; s < slots; s++) postingBytes += c.postingBytes(s);
  if (termBytes > 0xffffffff || postingBytes > 0xffffffff) throw new Error(`${file}: a lexical segment past 4 GiB; seal segments sooner`);
  const at = layout(terms, termBytes, c.rowSpan, postingBytes);
  const out = Buffer.alloc(at.total);
  const u32 = (offset: number, n: number) => new Uint32Array(out.buffer, out.byteOffset + offset, n);
  yield;

  MAGIC.copy(out, 0);
  const head = u32(8, 8);
  head.set([VERSION, c.terms.stem ? 1 : 0, c.rows, c.firstRow, c.rowSpan, terms, termBytes, postingBytes]);
  new Float64Array(out.buffer, out.byteOffset + 40, 3).set(c.totals);

  const termStarts = u32(at.termStarts, terms + 1);
  let text = 0;
  for (let i = 0; i < terms; i++) {
    termStarts[i] = text;
    text += out.write(c.sortedTerms[i], at.termText + text, 'utf8');
    if (i % TERMS_PER_STEP === TERMS_PER_STEP - 1) yield;
  }
  termStarts[terms] = text;

  const df = u32(at.df, slots);
  const postingStarts = u32(at.postingStarts, slots + 1);
  let posting = 0;
  for (let s = 0; s < slots; s++) {
    df[s] = c.docFrequency(s);
    postingStarts[s] = posting;
    c.copyPostings(s, out, at.postings + posting);
    posting += c.postingBytes(s);
    if (s % (TERMS_PER_STEP * 3) === TERMS_PER_STEP * 3 - 1) yield;
  }
  postingStarts[slots] = posting;
  new Uint16Array(out.buffer, out.byteOffset + at.lengths, c.rowSpan * 3).set(c.lengths);
  out.set(c.present, at.present);
  yield* writeInSteps(file, out);
  return out.length;
}

export class LexicalSegment implements LexicalPart {
  private fd: number;
  private lastTerm = '';
  private lastIndex = -1;

  private constructor(
    readonly file: string,
    fd: number,
    readonly terms: TermOptions,
    readonly rows: number,
    readonly firstRow: number,
    private readonly rowSpan: number,
    private readonly totals: Float64Array,
    private readonly termStarts: Uint32Array,
    private readonly termText: Buffer,
    private readonly df: Uint32Array,
    private readonly postingStarts: Uint32Array,
    private readonly lengths: Uint16Array,
    private readonly present: Uint8Array,
    private readonly postingsAt: number,
  ) {
    this.fd = fd;
  }

  /** Reads a segment file's dictionary and row lengths; throws a one-line error naming the file when it is damaged. */
  static open(file: string): LexicalSegment {
    const fd = fs.openSync(file, 'r');
    try {
      return LexicalSegment.read(file, fd);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  private static read(file: string, fd: number): LexicalSegment {
    const size = fs.fstatSync(fd).size;
    const damaged = (why: string) => new Error(`The lexical index file ${file} is damaged (${why}); index the folder again.`);
    if (size < HEADER_BYTES) throw damaged(`${size} bytes, shorter than its header`);
    const header = readAt(fd, 0, HEADER_BYTES);
    if (!header.subarray(0, 8).equals(MAGIC)) throw damaged('not a lexical segment: bad magic');
    const [version, flags, rows, firstRow, rowSpan, terms, termBytes, postingBytes] = new Uint32Array(
      header.buffer,
      header.byteOffset + 8,
      8,
    );
    if (version !== VERSION) throw damaged(`format version ${version}, this build reads ${VERSION}`);
    if (rows > rowSpan) throw damaged(`${rows} rows in a span of ${rowSpan}`);
    const at = layout(terms, termBytes, rowSpan, postingBytes);
    if (at.total !== size) throw damaged(`${size} bytes where its header says ${at.total}`);
    const meta = readAt(fd, 0, at.postings);
    const u32 = (offset: number, n: number) => new Uint32Array(meta.buffer, meta.byteOffset + offset, n);
    const termStarts = u32(at.termStarts, terms + 1);
    const df = u32(at.df, terms * 3);
    const postingStarts = u32(at.postingStarts, terms * 3 + 1);
    if (!ascending(termStarts, termBytes) || !ascending(postingStarts, postingBytes)) throw damaged('its dictionary is inconsistent');
    // Every posting takes at least a byte, and a row holds a term at most once: no count can outgrow the file.
    for (let s = 0; s < terms * 3; s++) {
      const bytes = postingStarts[s + 1] - postingStarts[s];
      if (df[s] > rows || df[s] > bytes || (df[s] === 0) !== (bytes === 0)) throw damaged('its dictionary is inconsistent');
    }
    return new LexicalSegment(
      file,
      fd,
      { stem: (flags & 1) === 1 },
      rows,
      firstRow,
      rowSpan,
      new Float64Array(meta.buffer, meta.byteOffset + 40, 3),
      termStarts,
      meta.subarray(at.termText, at.termText + termBytes),
      df,
      postingStarts,
      new Uint16Array(meta.buffer, meta.byteOffset + at.lengths, rowSpan * 3),
      meta.subarray(at.present, at.present + Math.ceil(rowSpan / 8)),
      at.postings,
    );
  }

  get termCount(): number {
    return this.termStarts.length - 1;
  }

  /** One past the last row. */
  get rowEnd(): number {
    return this.firstRow + this.rowSpan;
  }

  /** The memory it holds: the dictionary and row lengths, read whole. */
  get memoryBytes(): number {
    return this.termText.buffer.byteLength;
  }

  hasRow(row: number): boolean {
    const i = row - this.firstRow;
    return i >= 0 && i < this.rowSpan && (this.present[i >> 3] & (1 << (i & 7))) !== 0;
  }

  fieldTotal(field: LexicalField): number {
    return this.totals[FIELD_INDEX[field]];
  }

  docFrequency(term: string, field: LexicalField): number {
    const i = this.find(term);
    return i < 0 ? 0 : this.df[i * 3 + FIELD_INDEX[field]];
  }

  postings(term: string, field: LexicalField): Postings | undefined {
    const i = this.find(term);
    return i < 0 ? undefined : this.postingsAtSlot(i * 3 + FIELD_INDEX[field]);
  }

  fieldLength(row: number, field: LexicalField): number {
    return this.fieldLengthAt(row, FIELD_INDEX[field]);
  }

  /** A row's length in field number `f` (FIELD_INDEX). */
  fieldLengthAt(row: number, f: number): number {
    const i = row - this.firstRow;
    return i >= 0 && i < this.rowSpan ? this.lengths[i * 3 + f] : 0;
  }

  /** Every term's postings, field by field (number, FIELD_INDEX), in term order, from one read of the postings section. */
  scan(visit: (term: string, f: number, postings: Postings) => void): void {
    const all = this.readPostings(0, this.postingStarts[this.postingStarts.length - 1]);
    for (let i = 0; i < this.termCount; i++) {
      const term = this.termAt(i);
      for (let f = 0; f < 3; f++) {
        const s = i * 3 + f;
        if (this.df[s] === 0) continue;
        visit(term, f, this.decode(all.subarray(this.postingStarts[s], this.postingStarts[s + 1]), this.df[s]));
      }
    }
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private postingsAtSlot(slot: number): Postings | undefined {
    const count = this.df[slot];
    if (count === 0) return undefined;
    const start = this.postingStarts[slot];
    return this.decode(this.readPostings(start, this.postingStarts[slot + 1] - start), count);
  }

  private decode(bytes: Uint8Array, count: number): Postings {
    const postings = decodePostings(bytes, count);
    if (!postings)
      throw new Error(`The lexical index file ${this.file} is damaged (a posting list does not decode); index the folder again.`);
    return postings;
  }

  private readPostings(offset: number, length: number): Buffer {
    if (this.fd < 0) throw new Error(`The lexical index file ${this.file} was read after its segment was closed (a bug)`);
    const bytes = readAt(this.fd, this.postingsAt + offset, length);
    if (bytes.length < length)
      throw new Error(`The lexical index file ${this.file} is damaged (it was cut short after it was opened); index the folder again.`);
    return bytes;
  }

  private termAt(i: number): string {
    return this.termText.toString('utf8', this.termStarts[i], this.termStarts[i + 1]);
  }

  /** The term's index by binary search over the sorted dictionary, or -1. */
  private find(term: string): number {
    if (term === this.lastTerm) return this.lastIndex;
    let lo = 0;
    let hi = this.termCount - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const probe = this.termAt(mid);
      if (probe === term) {
        found = mid;
        break;
      }
      if (probe < term) lo = mid + 1;
      else hi = mid - 1;
    }
    this.lastTerm = term;
    this.lastIndex = found;
    return found;
  }
}

/** Up to `length` bytes at `position` (fewer only at the file's end), in a buffer of its own (8-aligned, for typed views). */
function readAt(fd: number, position: number, length: number): Buffer {
  const out = Buffer.allocUnsafeSlow(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, out, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got < length ? out.subarray(0, got) : out;
}

/** Starts from 0, never decreasing, ending at `last`. */
function ascending(starts: Uint32Array, last: number): boolean {
  if (starts[0] !== 0 || starts[starts.length - 1] !== last) return false;
  for (let i = 1; i < starts.length; i++) if (starts[i] < starts[i - 1]) return false;
  return true;
}
