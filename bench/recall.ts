// Recall@k of the graph search against an exact scan of the same stored vectors, for one query vector.
// A result counts when the exact top k holds it, or when it scores as high as the exact k-th (a tie): a
// corpus with identical chunks has identical vectors, which the scan and the graph may order differently,
// and naming another copy of the same vector is no loss (on the bench corpus, 10 of 100 queries taken from
// its own chunks had ten tied neighbours: recall by label 0.904, with ties 0.993).

interface Scored {
  label: number;
  score: number;
}

export interface RecallSearch {
  search(vector: Float32Array, k: number): Promise<Scored[]>;
  exactSearch(vector: Float32Array, k: number): Scored[];
}

/** Results that count, and results there could be, for `vector`. */
export async function recallOf(store: RecallSearch, vector: Float32Array, k = 10): Promise<{ agree: number; total: number }> {
  const exact = store.exactSearch(vector, k);
  if (exact.length === 0) return { agree: 0, total: 0 };
  const labels = new Set(exact.map(h => h.label));
  const kth = exact[exact.length - 1].score;
  const agree = (await store.search(vector, k)).filter(h => labels.has(h.label) || h.score >= kth - 1e-6).length;
  return { agree, total: exact.length };
}
