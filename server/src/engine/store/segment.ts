// What a store segment is, whichever its state: a bounded set of chunks with its own graph (usearch), its
// vector codes (vectorCodes.ts), its metadata columns and its lexical part, numbered by row. The active
// segment grows in memory; sealed ones are files on disk, immutable but for the marks of removed rows. The
// vector search of one segment is here: graph candidates, re-scored exactly against the codes.

import type { LexicalPart } from '../lexical/lexicalPart';
import type { ChunkColumns } from './chunkColumns';
import type { DeadRows } from './deadRows';
import { RESCORE, RowHit } from './graph';
import { cosineWithRow, normOf, rowBytesOf, unit } from './vectorCodes';

export interface Segment {
  readonly id: number;
  readonly dims: number;
  /** Rows ever given to this segment, removed ones included. */
  readonly rows: number;
  readonly columns: ChunkColumns;
  readonly dead: DeadRows;
  readonly lexical: LexicalPart;
  /** The graph's nearest `k` rows (removed ones possibly among them); an in-memory segment's graph answers from its thread. */
  graphSearch(vector: Float32Array, k: number): RowHit[] | Promise<RowHit[]>;
  /** A row's vector codes (vectorCodes.ts's layout). */
  code(row: number): Buffer;
  /** Codes of rows first..first+count-1, in one piece. */
  codes(first: number, count: number): Buffer;
}

export function liveRows(s: Segment): number {
  return s.rows - s.dead.count;
}

/** A segment's candidates for a search; `exact`: scored on the codes already (a scanned segment). */
export interface Candidates {
  s: Segment;
  hits: RowHit[];
  exact: boolean;
}

/**
 * The segment's candidates for its best `k` live rows that `accept` keeps, with the graph's scores. The graph
 * is asked for more than k (RESCORE x, and more again for the share of removed rows it still holds); when a
 * filter keeps too few of those, the ask grows, and past half the segment an exact scan is cheaper.
 */
export async function segmentCandidates(
  s: Segment,
  vector: Float32Array,
  query: Float32Array,
  qNorm: number,
  k: number,
  accept?: (row: number) => boolean,
): Promise<Candidates> {
  const live = liveRows(s);
  if (live <= 0 || k <= 0) return { s, hits: [], exact: true };
  let ask = Math.ceil((RESCORE * k * s.rows) / live);
  for (;;) {
    if (ask * 2 >= s.rows) return { s, hits: exactScan(s, vector, qNorm, k, accept), exact: true };
    const found = await s.graphSearch(query, ask);
    const kept = found.filter(h => !s.dead.has(h.row) && (!accept || accept(h.row)));
    // Enough to re-score, or all the graph holds.
    if (kept.length >= RESCORE * k || found.length < ask) return { s, hits: kept, exact: false };
    ask *= 4;
  }
}

/**
 * The best `k` of every segment's candidates (`vector` as given; the graphs are asked with it normalised).
 * Only the RESCORE x k best graph candidates of all segments are re-scored on their codes, a read each: on
 * the Linux kernel's 15 segments, re-scoring each segment's own 4 x 50 read 3,000 rows a query and cost a
 * third of a semantic search.
 */
export async function searchSegments(
  segments: Segment[],
  vector: Float32Array,
  k: number,
  accept?: (s: Segment) => ((row: number) => boolean) | undefined,
): Promise<{ s: Segment; row: number; score: number }[]> {
  if (k <= 0) return [];
  const qNorm = normOf(vector);
  // Normalised once here, for every kind of segment's graph (the active one's and the sealed ones').
  const query = unit(vector);
  const parts = await Promise.all(segments.map(s => segmentCandidates(s, vector, query, qNorm, k, accept?.(s))));
  const scored = parts.flatMap(p => (p.exact ? p.hits.map(h => ({ s: p.s, row: h.row, score: h.score })) : []));
  const graph = parts
    .flatMap(p => (p.exact ? [] : p.hits.map(h => ({ s: p.s, row: h.row, score: h.score }))))
    .sort((a, b) => b.score - a.score)
    .slice(0, RESCORE * k);
  for (const h of graph) scored.push({ s: h.s, row: h.row, score: cosineWithRow(vector, qNorm, h.s.code(h.row), h.s.dims) });
  return scored.sort((a, b) => b.score - a.score || a.s.id - b.s.id || a.row - b.row).slice(0, k);
}

/** Every live row `accept` keeps, scored on its codes: the ground truth of the graph, and the filter's fallback. */
export function exactScan(s: Segment, vector: Float32Array, qNorm: number, k: number, accept?: (row: number) => boolean): RowHit[] {
  const out: RowHit[] = [];
  forEachCode(s, (row, code) => {
    if (!s.dead.has(row) && (!accept || accept(row))) out.push({ row, score: cosineWithRow(vector, qNorm, code, s.dims) });
  });
  return out.sort((a, b) => b.score - a.score || a.row - b.row).slice(0, k);
}

/** Rows read per call to codes(): a sealed segment's come from its file, a block at a time. */
const CODE_BLOCK_ROWS = 4096;

/** Calls `visit` with every row of the segment (removed ones included) and its codes, in row order. */
export function forEachCode(s: Segment, visit: (row: number, code: Buffer) => void): void {
  const rowBytes = rowBytesOf(s.dims);
  for (let first = 0; first < s.rows; first += CODE_BLOCK_ROWS) {
    const count = Math.min(CODE_BLOCK_ROWS, s.rows - first);
    const block = s.codes(first, count);
    for (let i = 0; i < count; i++) visit(first + i, block.subarray(i * rowBytes, (i + 1) * rowBytes));
  }
}
