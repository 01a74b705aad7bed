// File-level retrieval metrics: a result covers its file (and the files it says it is also in); the first
// result covering a relevant file counts, later ones covering the same file add nothing.

export interface RankedFiles {
  /** Per result, best first: the files it covers. */
  covers: string[][];
}

export interface Scores {
  ndcg: number;
  mrr: number;
  recall: number;
}

export function scoreQuery(results: RankedFiles, relevant: readonly string[], cutoff = 10): Scores {
  const wanted = new Set(relevant);
  const found = new Set<string>();
  let dcg = 0;
  let mrr = 0;
  results.covers.slice(0, cutoff).forEach((files, i) => {
    const fresh = files.filter(f => wanted.has(f) && !found.has(f));
    if (fresh.length === 0) return;
    for (const f of fresh) found.add(f);
    dcg += 1 / Math.log2(i + 2);
    if (mrr === 0) mrr = 1 / (i + 1);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(wanted.size, cutoff); i++) ideal += 1 / Math.log2(i + 2);
  return { ndcg: ideal ? dcg / ideal : 0, mrr, recall: wanted.size ? found.size / wanted.size : 0 };
}

export function meanScores(all: Scores[]): Scores {
  const n = all.length || 1;
  return {
    ndcg: all.reduce((s, x) => s + x.ndcg, 0) / n,
    mrr: all.reduce((s, x) => s + x.mrr, 0) / n,
    recall: all.reduce((s, x) => s + x.recall, 0) / n,
  };
}
