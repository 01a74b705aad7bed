// A query is embedded exactly like a chunk (same tokenizer, same model), then matched by cosine similarity.

import type { EmbedSink } from '../indexer/embedQueue';
import { LineTokenizer, withSpecialTokens } from '../model/tokenizer';

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
