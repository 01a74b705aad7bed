// BM25 over code-aware terms (codeTerms.ts), on MiniSearch: a chunk is a document with three fields, its
// code, its name (symbol and kind) and its path words (file stem and last folders), keyed by the vector
// store's label. MiniSearch was chosen over a hand-written index because it already does what an
// incremental index needs (add, discard by id with vacuuming, BM25 with field boosts, JSON save and load);
// its figures here are in the README. A file's chunks leave with discard(), which needs only the label, so
// nothing keeps a chunk's text after it is indexed.

import MiniSearch from 'minisearch';
import { codeTerms, pathText, queryTerms, TermOptions, DEFAULT_TERM_OPTIONS } from './codeTerms';

export interface LexicalDoc {
  path: string;
  symbol: string;
  kind: string;
  text: string;
}

export interface LexicalHit {
  label: number;
  score: number;
  /** The query terms this chunk matched. */
  terms: string[];
}

/** Field weights: a query word in a chunk's name or path says more than one inside its code. */
export const FIELD_BOOSTS = { body: 1, name: 2, path: 1.5 };
/** MiniSearch's BM25+ parameters, its defaults. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/**
 * A query is searched by its most telling terms, within a budget of postings: MiniSearch scores every posting
 * of every query term (about 1 us each), and the common terms ("function", "var", "return") each hold a third
 * or more of all chunks, so at 100k chunks a pasted line cost up to 150 ms while those terms add least to
 * the score (their IDF is lowest). Terms are taken by weight x IDF, as Lucene's MoreLikeThis keeps its best
 * terms, at most MAX_QUERY_TERMS of them, and a term that would take the query past POSTINGS_BUDGET is left
 * out, unless it is the first. Below ~25k chunks no term is ever left out for the budget.
 */
export const MAX_QUERY_TERMS = 12;
export const POSTINGS_BUDGET = 25_000;
export type LexicalField = 'body' | 'name' | 'path';
const FIELDS: LexicalField[] = ['body', 'name', 'path'];

type Doc = { id: number; body: string; name: string; path: string };

export class LexicalIndex {
  private constructor(private readonly mini: MiniSearch<Doc>, readonly terms: TermOptions) {}

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
    // version is pinned, and a unit test fails if that shape changes).
    const internals = this.mini as unknown as { _index: { get(term: string): Map<number, Map<number, number>> | undefined }; _fieldIds: Record<string, number> };
    const byField = internals._index.get(term);
    if (!byField) return 0;
    return fields.reduce((sum, f) => sum + (byField.get(internals._fieldIds[f])?.size ?? 0), 0);
  }

  /** The query's terms that are searched: see POSTINGS_BUDGET. */
  private mostTelling(weights: Map<string, number>, fields: LexicalField[]): Map<string, number> {
    const total = Math.max(1, this.mini.documentCount);
    const ranked = [...weights].map(([term, weight]) => {
      const postings = this.postings(term, fields);
      return { term, weight, postings, worth: weight * Math.log(1 + total / (1 + postings)) };
    }).sort((a, b) => b.worth - a.worth);
    const kept = new Map<string, number>();
    let spent = 0;
    for (const t of ranked) {
      if (kept.size === MAX_QUERY_TERMS) break;
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
