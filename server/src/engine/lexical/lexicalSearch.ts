// BM25+ over the lexical parts of all segments, scored as MiniSearch scores one index over all their rows
// (the tests check it against MiniSearch, test/helpers/miniSearchIndex.ts): N, each term's document frequency
// and each field's average length are summed over the
// parts, so a chunk's score does not depend on which segment holds it. Per term, per field (in `fields`
// order), per posting: weight x field boost x idf x (d + tf (k + 1) / (tf + k (1 - b + b len / avg))), summed
// per term and then over terms, times the number of query terms the row matched; sums are made in MiniSearch's
// order so that equal inputs give equal floats.

import { queryTerms, TermOptions } from './codeTerms';
import { LEXICAL_FIELDS, LexicalField, LexicalPart } from './lexicalPart';

/** Field weights: a query word in a chunk's name or path says more than one inside its code. */
export const FIELD_BOOSTS: Record<LexicalField, number> = { body: 1, name: 2, path: 1.5 };
/** BM25+ parameters: MiniSearch's defaults, which the index was first built on and tuned with. */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/**
 * A query is searched by its most telling terms, within a budget of postings: every posting of every query
 * term is scored (MiniSearch, which this search replaced, took about 1 us each), and the common terms
 * ("function", "var", "return") each hold a third or more of all chunks, so at 100k chunks a pasted line cost
 * up to 150 ms while those terms add least to the score (their IDF is lowest). Terms are taken by weight x
 * IDF, as Lucene's MoreLikeThis keeps its best terms, at most MAX_QUERY_TERMS of them, and a term that would
 * take the query past POSTINGS_BUDGET is left out, unless it is the first. Below ~25k chunks no term is ever
 * left out for the budget.
 */
export const MAX_QUERY_TERMS = 12;
export const POSTINGS_BUDGET = 25_000;

export interface SearchedPart {
  part: LexicalPart;
  /** Rows it rejects (removed chunks, a path filter) are never returned; they still count in the statistics. */
  accept?: (row: number) => boolean;
}

export interface PartHit {
  /** The index of the row's part in the `parts` given. */
  part: number;
  row: number;
  score: number;
  /** The query terms the row matched. */
  terms: string[];
}

interface QueryTerm {
  term: string;
  weight: number;
  df: number[];
  postings: number;
}

/** The best `n` rows by BM25 over all parts; ties go to the lower part, then the lower row. */
export function searchLexical(
  parts: SearchedPart[],
  query: string,
  n: number,
  terms: TermOptions,
  fields: LexicalField[] = [...LEXICAL_FIELDS],
): PartHit[] {
  const total = parts.reduce((sum, p) => sum + p.part.rows, 0);
  const kept = mostTelling(queryTerms(query, terms), parts, fields, Math.max(1, total));
  if (kept.length === 0 || n <= 0) return [];
  const avg = fields.map(f => parts.reduce((sum, p) => sum + p.part.fieldTotal(f), 0) / total);
  const idf = kept.map(t => t.df.map(df => Math.log(1 + (total - df + 0.5) / (df + 0.5))));
  const best = new TopRows(n);
  parts.forEach(({ part, accept }, p) => {
    const { rows, scores, masks } = scorePart(part, kept, fields, idf, avg);
    for (let i = 0; i < rows.length; i++) {
      if (accept && !accept(rows[i])) continue;
      best.offer(p, rows[i], scores[i] * bitCount(masks[i]), masks[i]);
    }
  });
  const order = hitTermOrder(kept);
  return best
    .sorted()
    .map(h => ({ part: h.part, row: h.row, score: h.score, terms: order.filter(i => h.mask & (1 << i)).map(i => kept[i].term) }));
}

/**
 * One part's matching rows with their sums over the kept terms and a bit per term matched. A term's fields
 * are summed before the term is added to the row's total, as MiniSearch sums them.
 */
function scorePart(part: LexicalPart, kept: QueryTerm[], fields: LexicalField[], idf: number[][], avg: number[]) {
  const index = new Map<number, number>(); // row -> its place in rows, scores, masks
  const rows: number[] = [],
    scores: number[] = [],
    masks: number[] = [],
    termScores: number[] = [];
  kept.forEach((t, ti) => {
    const touched: number[] = [];
    fields.forEach((field, fi) => {
      const postings = t.df[fi] > 0 ? part.postings(t.term, field) : undefined;
      if (!postings) return;
      const boost = FIELD_BOOSTS[field];
      for (let j = 0; j < postings.rows.length; j++) {
        const row = postings.rows[j],
          tf = postings.tfs[j];
        const raw =
          idf[ti][fi] * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * part.fieldLength(row, field)) / avg[fi])));
        const score = t.weight * boost * raw;
        let i = index.get(row);
        if (i === undefined) {
          i = rows.length;
          index.set(row, i);
          rows.push(row);
          scores.push(0);
          masks.push(0);
          termScores.push(0);
        }
        if ((masks[i] & (1 << ti)) === 0) {
          masks[i] |= 1 << ti;
          termScores[i] = score;
          touched.push(i);
        } else termScores[i] += score;
      }
    });
    for (const i of touched) scores[i] += termScores[i];
  });
  return { rows, scores, masks };
}

/** The query's terms that are searched: see POSTINGS_BUDGET. */
function mostTelling(weights: Map<string, number>, parts: SearchedPart[], fields: LexicalField[], total: number): QueryTerm[] {
  const ranked = [...weights]
    .map(([term, weight]) => {
      const df = fields.map(f => parts.reduce((sum, p) => sum + p.part.docFrequency(term, f), 0));
      const postings = df.reduce((a, b) => a + b, 0);
      return { term, weight, df, postings, worth: weight * Math.log(1 + total / (1 + postings)) };
    })
    .sort((a, b) => b.worth - a.worth);
  const kept: QueryTerm[] = [];
  let spent = 0;
  for (const t of ranked) {
    if (kept.length === MAX_QUERY_TERMS) break;
    // A term no chunk holds matches nothing, and its top worth would take the place of one that does.
    if (t.postings === 0) continue;
    if (kept.length > 0 && spent + t.postings > POSTINGS_BUDGET) continue;
    kept.push(t);
    spent += t.postings;
  }
  return kept;
}

/**
 * The order a hit lists its terms in: MiniSearch gives them as an object's keys, so integer-like terms ("404")
 * come first, ascending, then the others as searched. Kept so that hits read as they did.
 */
function hitTermOrder(kept: QueryTerm[]): number[] {
  const place = new Map(kept.map((t, i) => [t.term, i]));
  return Object.keys(Object.fromEntries(kept.map(t => [t.term, 0]))).map(term => place.get(term)!);
}

function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

interface Candidate {
  part: number;
  row: number;
  score: number;
  mask: number;
}

/** The best `n` offered, in a heap whose top is the worst kept. */
class TopRows {
  private readonly heap: Candidate[] = [];
  constructor(private readonly n: number) {}

  offer(part: number, row: number, score: number, mask: number): void {
    const c = { part, row, score, mask };
    const h = this.heap;
    if (h.length < this.n) {
      h.push(c);
      for (let i = h.length - 1; i > 0;) {
        const up = (i - 1) >> 1;
        if (!better(h[up], h[i])) break;
        [h[up], h[i]] = [h[i], h[up]];
        i = up;
      }
    } else if (better(c, h[0])) {
      h[0] = c;
      for (let i = 0; ;) {
        const l = 2 * i + 1,
          r = l + 1;
        let worst = i;
        if (l < h.length && better(h[worst], h[l])) worst = l;
        if (r < h.length && better(h[worst], h[r])) worst = r;
        if (worst === i) break;
        [h[worst], h[i]] = [h[i], h[worst]];
        i = worst;
      }
    }
  }

  sorted(): Candidate[] {
    return [...this.heap].sort((a, b) => (better(a, b) ? -1 : 1));
  }
}

function better(a: Candidate, b: Candidate): boolean {
  return a.score !== b.score ? a.score > b.score : a.part !== b.part ? a.part < b.part : a.row < b.row;
}
