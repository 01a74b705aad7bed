// What one store segment offers the lexical search (lexicalSearch.ts): its postings and the statistics BM25
// needs. The active segment's LexicalBuilder and a sealed segment's LexicalSegment both offer it, so one
// search scores them all with statistics summed over every part, as one index over all rows would.
//
// A posting list (one term in one field) is the same bytes in the builder's memory and in a segment file:
// per row, ascending, varint(2 x delta + (tf === 1 ? 1 : 0)) then varint(tf) when tf > 1, where delta is
// the row minus the previous row (the first row counts from -1). Most postings have tf 1 and a small
// delta, so most take one or two bytes.

/** What a chunk gives the lexical index: its code (body), its name (symbol and kind) and its path words (path). */
export interface LexicalDoc {
  path: string;
  symbol: string;
  kind: string;
  text: string;
}

export type LexicalField = 'body' | 'name' | 'path';
export const LEXICAL_FIELDS: readonly LexicalField[] = ['body', 'name', 'path'];
/** A field's position in the builder's and the segment file's per-field arrays. */
export const FIELD_INDEX: Record<LexicalField, number> = { body: 0, name: 1, path: 2 };

/** Term frequencies and field lengths are kept in 16 bits; past that BM25 has long saturated. */
export const MAX_COUNT = 0xffff;

export interface Postings {
  /** Ascending. */
  rows: Uint32Array;
  tfs: Uint8Array | Uint16Array;
}

export interface LexicalPart {
  /** Rows ever added, removed ones included: like MiniSearch's discarded documents before vacuuming, they still count in N. */
  readonly rows: number;
  /** The sum of that field's lengths (distinct terms, as MiniSearch counts them) over all rows. */
  fieldTotal(field: LexicalField): number;
  docFrequency(term: string, field: LexicalField): number;
  postings(term: string, field: LexicalField): Postings | undefined;
  fieldLength(row: number, field: LexicalField): number;
}

/** Decodes `count` postings from `bytes` (the layout above); undefined when the bytes do not hold exactly that. */
export function decodePostings(bytes: Uint8Array, count: number): Postings | undefined {
  const rows = new Uint32Array(count);
  const tfs = new Uint16Array(count);
  let at = 0;
  let row = -1;
  for (let i = 0; i < count; i++) {
    let v = 0,
      scale = 1,
      b = 0;
    do {
      b = bytes[at++];
      v += (b & 127) * scale;
      scale *= 128;
    } while (b & 128 && at < bytes.length);
    if (v < 2) return undefined; // a delta of 0: rows must ascend
    row += (v - (v % 2)) / 2;
    rows[i] = row;
    if (v % 2 === 1) {
      tfs[i] = 1;
      continue;
    }
    let tf = 0;
    scale = 1;
    do {
      b = bytes[at++];
      tf += (b & 127) * scale;
      scale *= 128;
    } while (b & 128 && at < bytes.length);
    tfs[i] = tf;
  }
  return at === bytes.length ? { rows, tfs } : undefined;
}

/** Appends one posting's bytes (the layout above) through `put`. */
export function encodePosting(put: (byte: number) => void, delta: number, tf: number): void {
  putVarint(put, tf === 1 ? delta * 2 + 1 : delta * 2);
  if (tf !== 1) putVarint(put, tf);
}

function putVarint(put: (byte: number) => void, v: number): void {
  // Rows reach 2^32, so 2 x delta passes 32 bits: arithmetic, not shifts.
  while (v >= 128) {
    put((v % 128) | 128);
    v = (v - (v % 128)) / 128;
  }
  put(v);
}
