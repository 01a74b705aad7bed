// What a search is asked: the query text, validated once for every door (CLI, language server, agents), and
// the options every folder index reads. The query's vector is computed on first use and shared, so a search
// over many folders embeds it once, and a lexical search never starts the embedder.

import { SEARCH_MODES, type SearchMode } from '../../../../common/settings';
import type { LexicalField } from '../lexical/lexicalPart';
import type { ChunkMeta } from '../store/chunkSegments';
import type { RankingRules } from './ranking';

export const MAX_QUERY_CHARS = 10_000;
export const MAX_K = 1000;

export { SEARCH_MODES, type SearchMode };

export type FusionMethod = 'weighted' | 'rrf';

export interface SearchOptions {
  k: number;
  mode: SearchMode;
  /** Only chunks this accepts are searched (a path glob). */
  filter?: (meta: ChunkMeta) => boolean;
  /** Ranking rules to apply (default: all); the benchmark turns them off one at a time. */
  rules?: Partial<RankingRules>;
  /** How the two sides' lists are fused (default: weighted). */
  fusion?: FusionMethod;
  /** The lexical index's fields searched (default: all); the benchmark's plain BM25 searches code only. */
  lexicalFields?: LexicalField[];
}

export class BadQueryError extends Error {}

export function validateQuery(query: unknown, k: unknown, mode: unknown = 'hybrid'): void {
  if (typeof query !== 'string' || query.trim() === '')
    throw new BadQueryError('The query is empty; type some words or code to search for.');
  if (query.length > MAX_QUERY_CHARS)
    throw new BadQueryError(
      `The query is ${query.length} characters long; the limit is ${MAX_QUERY_CHARS}. Search with a shorter excerpt.`,
    );
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > MAX_K)
    throw new BadQueryError(`k must be a whole number from 1 to ${MAX_K}; got ${String(k)}.`);
  if (!SEARCH_MODES.includes(mode as SearchMode))
    throw new BadQueryError(`mode must be one of ${SEARCH_MODES.join(', ')}; got ${JSON.stringify(mode)}.`);
}

export class Query {
  private vectorOnce?: Promise<Float32Array>;

  /** Validates the text, k and mode; throws a one-line BadQueryError. `embed` turns text into a vector. */
  constructor(
    readonly text: string,
    readonly options: SearchOptions,
    private readonly embed: (text: string) => Promise<Float32Array>,
  ) {
    validateQuery(text, options.k, options.mode);
  }

  get usesLexical(): boolean {
    return this.options.mode !== 'semantic';
  }
  get usesVectors(): boolean {
    return this.options.mode !== 'lexical';
  }

  vector(): Promise<Float32Array> {
    this.vectorOnce ??= this.embed(this.text);
    return this.vectorOnce;
  }
}
