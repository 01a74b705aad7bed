// The active segment's lexical part: BM25 postings built in memory as chunks are added, then written as a
// sealed segment's file (lexicalSegment.ts). It counts what MiniSearch counts (the tests' reference,
// test/helpers/miniSearchIndex.ts) so scores agree: a field's length is its number of distinct terms, a term's
// frequency its repeats in the field.
//
// No JS object per posting or per row: posting lists are byte runs (lexicalPart.ts's encoding) in a pool
// of 64 KiB pages (bytePool.ts), and rows' field lengths are one Uint16Array. The only JS objects are the terms (a Map).

import { grown } from '../grown';
import { BytePool } from './bytePool';
import { codeTerms, pathText, TermOptions } from './codeTerms';
import { decodePostings, encodePosting, FIELD_INDEX, LexicalDoc, LexicalField, LexicalPart, MAX_COUNT, Postings } from './lexicalPart';
import { LexicalSegment, SegmentContents, TERMS_PER_STEP, writeLexicalSegment } from './lexicalSegment';
import { runNow, sortInSteps, Steps } from '../store/steps';

export class LexicalBuilder implements LexicalPart {
  private readonly termIds = new Map<string, number>();
  /** Per term and field (term * 3 + field): its posting list in the pool, or -1. */
  private listOf = new Int32Array(3 * 1024).fill(-1);
  private readonly pool = new BytePool();
  /** Per posting list: how many rows hold the term, and the last of them + 1 (0: none yet). */
  private df = new Uint32Array(1024);
  private lastRowPlus1 = new Uint32Array(1024);
  /** Per row from firstRow: its three field lengths, and a bit for whether it was added (rows may skip numbers). */
  private lengths = new Uint16Array(3 * 1024);
  private present = new Uint8Array(128);
  private firstRow = -1;
  private lastRow = -1;
  private added = 0;
  private readonly totals = [0, 0, 0];

  constructor(private readonly termOptions: TermOptions) {}

  get terms(): TermOptions {
    return this.termOptions;
  }

  get rows(): number {
    return this.added;
  }

  /** Rows must come in increasing order; numbers may be skipped. */
  add(row: number, doc: LexicalDoc): void {
    this.placeRow(row);
    const texts = [doc.text, `${doc.symbol} ${doc.kind}`, pathText(doc.path)];
    for (let f = 0; f < 3; f++) {
      const counts = new Map<string, number>();
      for (const term of codeTerms(texts[f], this.termOptions)) counts.set(term, (counts.get(term) ?? 0) + 1);
      this.setLength(row, f, counts.size);
      for (const [term, tf] of counts) this.append(this.listFor(term, f), row, tf);
    }
  }

  /**
   * A builder holding a sealed segment's rows under new numbers: rowMap[oldRow] is the new row, or -1 (or
   * past its end) to drop the row. Kept rows must keep their order, as adds do.
   */
  static fromSegment(segment: LexicalSegment, rowMap: Int32Array, terms: TermOptions): LexicalBuilder {
    if (segment.terms.stem !== terms.stem)
      throw new Error(`The lexical index file ${segment.file} was built with other term options; index the folder again.`);
    const b = new LexicalBuilder(terms);
    const newRow = (old: number) => (old < rowMap.length ? rowMap[old] : -1);
    for (let old = segment.firstRow; old < segment.rowEnd; old++) {
      const row = newRow(old);
      if (row < 0 || !segment.hasRow(old)) continue;
      b.placeRow(row);
      for (let f = 0; f < 3; f++) b.setLength(row, f, segment.fieldLengthAt(old, f));
    }
    segment.scan((term, f, postings) => {
      let list = -1;
      for (let i = 0; i < postings.rows.length; i++) {
        const row = newRow(postings.rows[i]);
        if (row < 0) continue;
        if (list < 0) list = b.listFor(term, f);
        b.append(list, row, postings.tfs[i]);
      }
    });
    return b;
  }

  fieldTotal(field: LexicalField): number {
    return this.totals[FIELD_INDEX[field]];
  }

  docFrequency(term: string, field: LexicalField): number {
    const list = this.listAt(term, field);
    return list < 0 ? 0 : this.df[list];
  }

  postings(term: string, field: LexicalField): Postings | undefined {
    const list = this.listAt(term, field);
    if (list < 0) return undefined;
    const postings = decodePostings(this.pool.bytes(list), this.df[list]);
    if (!postings) throw new Error(`lexical builder: the postings of "${term}" do not decode (a bug)`);
    return postings;
  }

  fieldLength(row: number, field: LexicalField): number {
    if (this.firstRow < 0 || row < this.firstRow || row > this.lastRow) return 0;
    return this.lengths[(row - this.firstRow) * 3 + FIELD_INDEX[field]];
  }

  /** Writes the sealed segment's file (in one write); returns its bytes. */
  write(file: string): number {
    return runNow(this.writeSteps(file));
  }

  /** write(), cut into steps of ~10 ms (sorting the terms is most of it): see steps.ts. */
  *writeSteps(file: string): Steps<number> {
    return yield* writeLexicalSegment(file, yield* this.contents());
  }

  /** Its memory: the typed arrays exactly, each term estimated at 80 bytes (Map entry and string) plus its characters. */
  get memoryBytes(): number {
    let terms = 0;
    for (const term of this.termIds.keys()) terms += 80 + term.length;
    return (
      terms +
      this.pool.memoryBytes +
      this.listOf.byteLength +
      this.df.byteLength +
      this.lastRowPlus1.byteLength +
      this.lengths.byteLength +
      this.present.byteLength
    );
  }

  private *contents(): Steps<SegmentContents> {
    const sorted = yield* sortInSteps([...this.termIds.keys()]);
    const lists = new Int32Array(sorted.length * 3); // by slot: sorted term x 3 + field
    for (let i = 0; i < sorted.length; i++) {
      const id = this.termIds.get(sorted[i])!;
      lists.set(this.listOf.subarray(id * 3, id * 3 + 3), i * 3);
      if (i % TERMS_PER_STEP === TERMS_PER_STEP - 1) yield;
    }
    const span = this.firstRow < 0 ? 0 : this.lastRow - this.firstRow + 1;
    return {
      terms: this.termOptions,
      rows: this.added,
      firstRow: Math.max(0, this.firstRow),
      rowSpan: span,
      totals: this.totals,
      lengths: this.lengths.subarray(0, span * 3),
      present: this.present.subarray(0, Math.ceil(span / 8)),
      sortedTerms: sorted,
      docFrequency: slot => (lists[slot] < 0 ? 0 : this.df[lists[slot]]),
      postingBytes: slot => (lists[slot] < 0 ? 0 : this.pool.byteLength(lists[slot])),
      copyPostings: (slot, target, at) => {
        if (lists[slot] >= 0) this.pool.copyTo(lists[slot], target, at);
      },
    };
  }

  private placeRow(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= 0xffffffff || row <= this.lastRow) {
      throw new Error(`lexical builder: row ${row} added after row ${this.lastRow}; rows must be added in increasing order`);
    }
    if (this.firstRow < 0) this.firstRow = row;
    const i = row - this.firstRow;
    this.lengths = grown(this.lengths, (i + 1) * 3);
    this.present = grown(this.present, (i >> 3) + 1);
    this.present[i >> 3] |= 1 << (i & 7);
    this.lastRow = row;
    this.added++;
  }

  private setLength(row: number, f: number, length: number): void {
    const clamped = Math.min(length, MAX_COUNT);
    this.lengths[(row - this.firstRow) * 3 + f] = clamped;
    this.totals[f] += clamped;
  }

  private listAt(term: string, field: LexicalField): number {
    const id = this.termIds.get(term);
    return id === undefined ? -1 : this.listOf[id * 3 + FIELD_INDEX[field]];
  }

  private listFor(term: string, f: number): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termIds.size;
      // A copy: V8 may keep a term as a slice of the chunk's whole text, which the Map would then keep alive.
      this.termIds.set(Buffer.from(term, 'utf8').toString('utf8'), id);
      if (this.listOf.length < (id + 1) * 3) {
        const more = new Int32Array(this.listOf.length * 2).fill(-1);
        more.set(this.listOf);
        this.listOf = more;
      }
    }
    let list = this.listOf[id * 3 + f];
    if (list < 0) {
      list = this.pool.create();
      this.listOf[id * 3 + f] = list;
      this.df = grown(this.df, list + 1);
      this.lastRowPlus1 = grown(this.lastRowPlus1, list + 1);
    }
    return list;
  }

  private append(list: number, row: number, tf: number): void {
    this.pool.select(list);
    encodePosting(this.pool.put, row + 1 - this.lastRowPlus1[list], Math.min(tf, MAX_COUNT));
    this.lastRowPlus1[list] = row + 1;
    this.df[list]++;
  }
}
