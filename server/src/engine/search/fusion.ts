// Fusing the lexical and the semantic candidate lists into one. Weighted fusion of normalised scores is the
// default: on the quality benchmark it beat reciprocal rank fusion (README, "Retrieval quality"), because RRF
// gives the weaker side's ranks as much say as the stronger one's.

import type { ChunkMeta } from '../store/chunkSegments';
import type { MatchWhy } from '../types';
import type { FusionMethod } from './query';

export interface SideHit {
  label: number;
  meta: ChunkMeta;
  score: number;
  terms?: string[];
}

export interface Candidate {
  label: number;
  meta: ChunkMeta;
  score: number;
  why: MatchWhy;
}

/** The lexical side's share of a weighted fusion; the semantic side has the rest. */
export const LEXICAL_WEIGHT = 0.6;
/** RRF's usual constant: a rank's weight is 1 / (RRF_K + rank). */
export const RRF_K = 60;

/** One list from both sides (either may be empty), best first, each candidate saying which side found it. */
export function fuse(lexical: SideHit[], semantic: SideHit[], method: FusionMethod = 'weighted'): Candidate[] {
  const out = new Map<number, Candidate>();
  const entry = (h: SideHit) => {
    let c = out.get(h.label);
    if (!c) out.set(h.label, (c = { label: h.label, meta: h.meta, score: 0, why: { boosts: [] } }));
    return c;
  };
  const lexNorm = normaliser(lexical, false);
  const semNorm = normaliser(semantic, true);
  const both = lexical.length > 0 && semantic.length > 0;
  lexical.forEach((h, rank) => {
    const c = entry(h);
    c.why.lexical = { rank: rank + 1, score: round(h.score), terms: h.terms ?? [] };
    c.score += method === 'rrf' ? 1 / (RRF_K + rank + 1) : (both ? LEXICAL_WEIGHT : 1) * lexNorm(h.score);
  });
  semantic.forEach((h, rank) => {
    const c = entry(h);
    c.why.semantic = { rank: rank + 1, score: round(h.score) };
    c.score += method === 'rrf' ? 1 / (RRF_K + rank + 1) : (both ? 1 - LEXICAL_WEIGHT : 1) * semNorm(h.score);
  });
  return [...out.values()].sort((a, b) => b.score - a.score);
}

/**
 * Scores onto [0, 1]. BM25 scores are divided by the best one (zero stays zero: a chunk matching nothing is
 * not half a match); cosine similarities are min-max scaled over the list, since their useful range is narrow
 * and shifts from model to model.
 */
function normaliser(hits: SideHit[], minMax: boolean): (score: number) => number {
  if (hits.length === 0) return () => 0;
  const max = Math.max(...hits.map(h => h.score));
  const min = minMax ? Math.min(...hits.map(h => h.score)) : 0;
  const span = max - min;
  if (span <= 0) return () => 1;
  return s => (s - min) / span;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
