// The one search path. Every folder index is a Searcher; a search over several folders is a FanOut of them,
// itself a Searcher (zoekt's shape), so the CLI, the language server and the agent tools all call search()
// on one interface. Within one index: candidates from both sides, fused, ranked, collapsed, diversified, cut
// to k.

import { DEFAULT_MAX_LINE_CHARS as MAX_LINE_CHARS } from '../scanner/lineStats';
import type { ChunkSegments } from '../store/chunkSegments';
import type { SearchHit } from '../types';
import { Candidate, fuse, SideHit } from './fusion';
import type { Query } from './query';
import { ALL_RULES, EXACT_CHECKED, finalize, looksLikeCode, rank, RankingRules } from './ranking';

export interface Searcher {
  /** The best `query.options.k` results, best first. */
  search(query: Query): Promise<SearchHit[]>;
}

/** Candidates taken from each side before fusion: enough for the ranking stage to reorder a top 10. */
export const CANDIDATES_PER_SIDE = 50;

/** A file's current lines by its path in the index (undefined when it is gone or unreadable). */
export type FileText = (path: string) => Promise<string[] | undefined>;

/** Searches one folder index's chunk segments: the body of every folder index's search(). `fileText` reads chunks back for pasted code. */
export async function searchChunkSegments(segments: ChunkSegments, query: Query, fileText?: FileText): Promise<SearchHit[]> {
  const { options } = query;
  const n = Math.max(CANDIDATES_PER_SIDE, options.k);
  const rules: RankingRules = { ...ALL_RULES, ...options.rules };
  // Both sides' labels must name the same chunks: the store is pinned from the query's vector to the lexical
  // side's answer (between turns a new segment may take in a small one and renumber its rows; not while pinned).
  const release = segments.pin();
  let lexical: SideHit[], semantic: SideHit[];
  try {
    const vector = query.usesVectors && segments.count > 0 ? await query.vector() : undefined;
    semantic = vector ? await segments.search(vector, n, options.filter) : [];
    lexical = query.usesLexical ? segments.lexicalSearch(query.text, n, options.filter, options.lexicalFields) : [];
  } finally {
    release();
  }
  const fused = fuse(lexical, semantic, options.fusion);
  const texts = rules.exact && fileText && looksLikeCode(query.text) ? await textsOf(fused.slice(0, EXACT_CHECKED), fileText) : undefined;
  const ranked = rank(fused, query.text, rules, texts);
  const final = finalize(ranked, options.k, rules);
  const snippets = fileText ? await textsOf(final, fileText, SNIPPET_LINES) : new Map<number, string>();
  return final.map(({ label, meta: { key: _key, ...meta }, score, why, alsoIn }) => ({
    ...meta,
    snippet: (snippets.get(label) ?? '').slice(0, SNIPPET_CHARS),
    score: Math.round(score * 10000) / 10000,
    why,
    ...(alsoIn ? { alsoIn } : {}),
  }));
}

/** A result shows its first lines, read from the file when shown: the store keeps no text. */
const SNIPPET_LINES = 6;
const SNIPPET_CHARS = 400;

/**
 * The candidates' lines (at most `maxLines` each) as their files hold them now, each file read once however many
 * of its chunks are here.
 */
async function textsOf(candidates: Candidate[], fileText: FileText, maxLines = Infinity): Promise<Map<number, string>> {
  const files = new Map<string, Promise<string[] | undefined>>();
  const out = new Map<number, string>();
  await Promise.all(
    candidates.map(async ({ label, meta }) => {
      if (!files.has(meta.path)) files.set(meta.path, fileText(meta.path));
      const lines = await files.get(meta.path);
      // Lines too long for a chunk were left out of it (MAX_LINE_CHARS), and are left out here too.
      if (lines)
        out.set(
          label,
          lines
            .slice(meta.startLine - 1, meta.endLine)
            .filter(l => l.length <= MAX_LINE_CHARS)
            .slice(0, maxLines)
            .join('\n'),
        );
    }),
  );
  return out;
}

/** Several searchers as one: each is asked for k, and the best k of all of them win. */
export class FanOut<T> implements Searcher {
  constructor(
    private readonly parts: { source: T; searcher: Searcher }[],
    private readonly isCancelled: () => boolean = () => false,
  ) {}

  async search(query: Query): Promise<SearchHit[]> {
    return (await this.searchTagged(query)).map(({ hit }) => hit);
  }

  /** The same search, each hit with the source it came from. */
  async searchTagged(query: Query): Promise<{ source: T; hit: SearchHit }[]> {
    const all: { source: T; hit: SearchHit }[] = [];
    for (const { source, searcher } of this.parts) {
      if (this.isCancelled()) break;
      for (const hit of await searcher.search(query)) all.push({ source, hit });
    }
    return all.sort((a, b) => b.hit.score - a.hit.score).slice(0, query.options.k);
  }
}
