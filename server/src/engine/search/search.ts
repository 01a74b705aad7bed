// A query is embedded exactly like a chunk (same tokenizer, same model), then matched by cosine similarity.

import type { EmbedSink } from '../indexer/embedQueue';
import { LineTokenizer, withSpecialTokens } from '../model/tokenizer';
import type { ChunkMeta, VectorStore } from '../store/vectorStore';
import type { SearchHit } from '../types';

export const MAX_QUERY_CHARS = 10_000;
export const MAX_K = 1000;

export class BadQueryError extends Error {}

/** Query ids within the token budget: a long query is cut at the budget rather than rejected. */
export function queryIds(tok: LineTokenizer, query: string, maxTokens: number): Int32Array {
  const lines = query.split(/\r?\n/).map(l => tok.encodeLine(l));
  const budget = maxTokens - 2;
  const kept: Int32Array[] = [];
  let n = 0;
  for (const ids of lines) {
    if (n >= budget) break;
    const part = ids.subarray(0, budget - n);
    kept.push(part);
    n += part.length;
  }
  return withSpecialTokens(tok, kept);
}

export function validateQuery(query: string, k: number): void {
  if (typeof query !== 'string' || query.trim() === '') throw new BadQueryError('The query is empty; type some words or code to search for.');
  if (query.length > MAX_QUERY_CHARS) throw new BadQueryError(`The query is ${query.length} characters long; the limit is ${MAX_QUERY_CHARS}. Search with a shorter excerpt.`);
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new BadQueryError(`k must be a whole number from 1 to ${MAX_K}; got ${k}.`);
}

/** An embedder that can put a query ahead of index batches (the pool does; any EmbedSink will do without). */
export interface QueryEmbedder extends EmbedSink {
  embed(seqs: Int32Array[], urgent?: boolean): Promise<Float32Array[]>;
}

export interface QueryDeps {
  tokenizer: LineTokenizer;
  embedder: QueryEmbedder;
  maxTokens: number;
}

/** The query's vector, to match against one store or several (one per workspace folder). A search waits for
 *  the batches already running, not behind a long run's queue. */
export async function embedQuery(query: string, deps: QueryDeps): Promise<Float32Array> {
  const [vector] = await deps.embedder.embed([queryIds(deps.tokenizer, query, deps.maxTokens)], true);
  return vector;
}

export function hitsOf(store: VectorStore, vector: Float32Array, k: number, filter?: (meta: ChunkMeta) => boolean): SearchHit[] {
  // The content key is the store's bookkeeping, not part of a hit.
  return store.search(vector, k, filter).map(({ meta: { key: _key, ...meta }, score }) => ({ ...meta, score: Math.round(score * 10000) / 10000 }));
}

export async function searchStore(query: string, k: number, deps: QueryDeps & { store: VectorStore }): Promise<SearchHit[]> {
  validateQuery(query, k);
  return hitsOf(deps.store, await embedQuery(query, deps), k);
}
