// The reference implementation the compact lexical index (server/src/engine/lexical: lexicalBuilder.ts,
// lexicalSegment.ts, lexicalSearch.ts) is checked against: BM25 over code-aware terms (codeTerms.ts) on
// MiniSearch, as the engine searched before its own index replaced it. A chunk is a document with three
// fields, its code, its name (symbol and kind) and its path words (file stem and last folders), keyed by a
// label. It shares the engine's terms, field boosts, BM25 parameters and query-term budget, so the compact
// index must give the same rows, scores and matched terms. Tests only: the engine never loads MiniSearch.

import MiniSearch from 'minisearch';
import { codeTerms, pathText, queryTerms, TermOptions, DEFAULT_TERM_OPTIONS } from '../../server/src/engine/lexical/codeTerms';
import { LEXICAL_FIELDS, LexicalDoc, LexicalField } from '../../server/src/engine/lexical/lexicalPart';
import { BM25, FIELD_BOOSTS, MAX_QUERY_TERMS, POSTINGS_BUDGET } from '../../server/src/engine/lexical/lexicalSearch';

export interface LexicalHit {
  label: number;
  score: number;
  /** The query terms this chunk matched. */
  terms: string[];
}

const FIELDS: LexicalField[] = [...LEXICAL_FIELDS];

type Doc = { id: number; body: string; name: string; path: string };

export class LexicalIndex {
  private constructor(
    private readonly mini: MiniSearch<Doc>,
    readonly terms: TermOptions,
  ) {}

  static create(terms: TermOptions = DEFAULT_TERM_OPTIONS): LexicalIndex {
    return new LexicalIndex(new MiniSearch<Doc>(miniOptions(terms)), terms);
  }

  /** Reads back what toJSON() wrote. */
  static fromJSON(json: string): LexicalIndex {
    const { terms, index } = JSON.parse(json) as { terms: TermOptions; index: unknown };
    return new LexicalIndex(MiniSearch.loadJS<Doc>(index as never, miniOptions(terms)), terms);
  }

  get count(): number {
    return this.mini.documentCount;
  }

  add(label: number, doc: LexicalDoc): void {
    this.mini.add({ id: label, body: doc.text, name: `${doc.symbol} ${doc.kind}`, path: pathText(doc.path) });
  }

  /** Forgets a chunk; its postings are cleaned up lazily (at search and by MiniSearch's vacuuming). */
  discard(label: number): void {
    if (this.mini.has(label)) this.mini.discard(label);
  }

  /** The best `n` chunks for the query by BM25, optionally only those `accept` lets through. */
  search(query: string, n: number, accept?: (label: number) => boolean, fields: LexicalField[] = FIELDS): LexicalHit[] {
    const weights = this.mostTelling(queryTerms(query, this.terms), fields);
    if (weights.size === 0 || n <= 0) return [];
    const results = this.mini.search([...weights.keys()].join(' '), {
      tokenize: text => text.split(' '),
      processTerm: term => term,
      boostTerm: term => weights.get(term) ?? 1,
      fields,
      filter: accept ? r => accept(r.id as number) : undefined,
    });
    return results.slice(0, n).map(r => ({ label: r.id as number, score: r.score, terms: r.terms }));
  }

  /** How many chunks hold `term` in any of `fields` (discarded ones included until vacuumed): a term's cost and its IDF. */
  postings(term: string, fields: LexicalField[] = FIELDS): number {
    // MiniSearch has no public document-frequency call; its index maps term -> field id -> chunk -> count (the
    // version is pinned, and lexicalSearch.test.ts checks these counts against the compact index's docFrequency).
    const internals = this.mini as unknown as {
      _index: { get(term: string): Map<number, Map<number, number>> | undefined };
      _fieldIds: Record<string, number>;
    };
    const byField = internals._index.get(term);
    if (!byField) return 0;
    return fields.reduce((sum, f) => sum + (byField.get(internals._fieldIds[f])?.size ?? 0), 0);
  }

  /** The query's terms that are searched: see POSTINGS_BUDGET. */
  private mostTelling(weights: Map<string, number>, fields: LexicalField[]): Map<string, number> {
    const total = Math.max(1, this.mini.documentCount);
    const ranked = [...weights]
      .map(([term, weight]) => {
        const postings = this.postings(term, fields);
        return { term, weight, postings, worth: weight * Math.log(1 + total / (1 + postings)) };
      })
      .sort((a, b) => b.worth - a.worth);
    const kept = new Map<string, number>();
    let spent = 0;
    for (const t of ranked) {
      if (kept.size === MAX_QUERY_TERMS) break;
      if (t.postings === 0) continue; // as lexicalSearch.ts: a term no chunk holds takes no place
      if (kept.size > 0 && spent + t.postings > POSTINGS_BUDGET) continue;
      kept.set(t.term, t.weight);
      spent += t.postings;
    }
    return kept;
  }

  toJSON(): string {
    return JSON.stringify({ terms: this.terms, index: this.mini.toJSON() });
  }
}

function miniOptions(terms: TermOptions) {
  return {
    fields: FIELDS,
    storeFields: [],
    tokenize: (text: string) => codeTerms(text, terms),
    // Terms are already lower-cased (and stemmed when asked) by codeTerms.
    processTerm: (term: string) => term,
    searchOptions: { boost: FIELD_BOOSTS, bm25: BM25, combineWith: 'OR' as const, prefix: false, fuzzy: false },
  };
}
