// A query is embedded exactly like a chunk (same tokenizer, same model), then matched by cosine similarity.

import type { Embedder } from '../embedder/backend';
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

export interface QueryDeps {
  tokenizer: LineTokenizer;
  embedder: Embedder;
  maxTokens: number;
}

/** The query's vector, to match against one store or several (one per workspace folder). A search waits for
 *  the batches already running, not behind a long run's queue. */
export async function embedQuery(query: string, deps: QueryDeps): Promise<Float32Array> {
  // A remote endpoint gets the query's text whole: it cuts to its own model's limit with its own tokenizer.
  const [vector] = await deps.embedder.embed([{ ids: queryIds(deps.tokenizer, query, deps.maxTokens), text: query }], true);
  return vector;
}
