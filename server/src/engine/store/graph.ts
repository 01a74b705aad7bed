// The vector graph's shape and how its answers read (usearch's HNSW). The same shape serves the active
// segment's graph, built on the graph thread (graphThread.ts), and the sealed segments' mapped files.

import type { Index } from 'usearch';
import { usearch } from './usearchAddon';

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

/** usearch's answer as rows and cosine similarities. */
export function graphHits(graph: Index, vector: Float32Array, k: number): RowHit[] {
  const n = Math.min(k, graph.size());
  if (n <= 0) return [];
  const res = graph.search(vector, n, 1);
  const out: RowHit[] = [];
  for (let i = 0; i < res.keys.length; i++) out.push({ row: Number(res.keys[i]), score: 1 - res.distances[i] });
  return out;
}
