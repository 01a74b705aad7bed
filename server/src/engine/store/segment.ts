// What a store segment is, whichever its state: a bounded set of chunks with its own graph (usearch), its
// vector codes (vectorCodes.ts), its metadata columns and its lexical part, numbered by row. The active
// segment grows in memory; sealed ones are files on disk, immutable but for the marks of removed rows. The
// vector search of one segment is here: graph candidates, re-scored exactly against the codes.

import type { Index } from 'usearch';
import type { LexicalPart } from '../lexical/lexicalPart';
import type { ChunkColumns } from './chunkColumns';
import type { DeadRows } from './deadRows';
import { usearch } from './usearchAddon';
import { cosineWithRow, normOf, rowBytesOf, unit } from './vectorCodes';

/**
 * The graph's shape. int8 at usearch's fixed scale keeps a 256-d graph at ~400 bytes a chunk; its lost
 * resolution is won back by re-scoring RESCORE x k candidates on the codes (3 x k: recall@10 0.84 -> 0.9995
 * on clustered random 256-d data, against 0.998 for an f16 graph at 1.6x the bytes; on the Linux kernel's
 * real vectors 3 x k gave 0.933 over 30 segments, hence 4). M 16 with a construction beam of 128 inserts ~20k
 * vectors/s on 2 threads. The search beam sets recall against latency; on the full Linux kernel (15 segments,
 * 30 queries, re-scoring across segments) recall@10 / hybrid p50 were 0.950 / 22.4 ms at 256, 0.953 / 24.4
 * at 320, 0.957 / 26.9 at 384 and 0.960 / 33.2 at 512. Asking each segment for 8 x k instead of 4 x k, or
 * re-scoring 8 x k instead of 4 x k, gained nothing: the misses are the graph's.
 */
export const GRAPH = { connectivity: 16, expansionAdd: 128, expansionSearch: 384 };
export const RESCORE = 4;

export function newGraph(dims: number): Index {
  const { Index, MetricKind, ScalarKind } = usearch();
  return new Index({
    dimensions: dims,
    metric: MetricKind.Cos,
    quantization: ScalarKind.I8,
    connectivity: GRAPH.connectivity,
    expansion_add: GRAPH.expansionAdd,
    expansion_search: GRAPH.expansionSearch,
    multi: false,
  });
}

export interface RowHit {
  row: number;
  score: number;
}

export interface Segment {
  readonly id: number;
  readonly dims: number;
  /** Rows ever given to this segment, removed ones included. */
  readonly rows: number;
  readonly columns: ChunkColumns;
  readonly dead: DeadRows;
  readonly lexical: LexicalPart;
  /** The graph's nearest `k` rows (removed ones possibly among them). */
  graphSearch(vector: Float32Array, k: number): RowHit[];
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
export function segmentCandidates(
  s: Segment,
  vector: Float32Array,
  query: Float32Array,
  qNorm: number,
  k: number,
  accept?: (row: number) => boolean,
): Candidates {
  const live = liveRows(s);
  if (live <= 0 || k <= 0) return { s, hits: [], exact: true };
  let ask = Math.ceil((RESCORE * k * s.rows) / live);
  for (;;) {
    if (ask * 2 >= s.rows) return { s, hits: exactScan(s, vector, qNorm, k, accept), exact: true };
    const found = s.graphSearch(query, ask);
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
export function searchSegments(
  segments: Segment[],
  vector: Float32Array,
  k: number,
  accept?: (s: Segment) => ((row: number) => boolean) | undefined,
): { s: Segment; row: number; score: number }[] {
  if (k <= 0) return [];
  const qNorm = normOf(vector);
  // Normalised once here, for every kind of segment's graph (the active one's and the sealed ones').
  const query = unit(vector);
  const parts = segments.map(s => segmentCandidates(s, vector, query, qNorm, k, accept?.(s)));
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

/** usearch's answer as rows and cosine similarities. */
export function graphHits(graph: Index, vector: Float32Array, k: number): RowHit[] {
  const n = Math.min(k, graph.size());
  if (n <= 0) return [];
  const res = graph.search(vector, n, 1);
  const out: RowHit[] = [];
  for (let i = 0; i < res.keys.length; i++) out.push({ row: Number(res.keys[i]), score: 1 - res.distances[i] });
  return out;
}
