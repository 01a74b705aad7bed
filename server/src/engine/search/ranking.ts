// The ranking stage over the fused list. Each rule is a score multiplier (or, for the last two, a reshaping
// of the list) that the quality benchmark measures on and off (README, "Retrieval quality"):
// - definitions: a query that looks like an identifier lifts the chunks that define it and files named so;
// - exact: a query that is code (pasted lines) lifts the chunks that hold it word for word;
// - pathWords: words of a natural-language query that name a file (stem) or its folders lift that file's chunks;
// - demote: tests, examples, fixtures, vendored and compatibility code and .d.ts files go down, unless the
//   query asks for them or is code (pasted code is wanted where it is);
// - collapse: chunks with identical text in several files (a bundle of the sources, a copied file) become one
//   result that says where else it is;
// - diversify: a file's second and later chunks are discounted, so the top is not one file's chunks.

import { fileStem, splitIdentifier } from '../lexical/codeTerms';
import type { Candidate } from './fusion';

export interface RankingRules {
  definitions: boolean;
  exact: boolean;
  pathWords: boolean;
  demote: boolean;
  collapse: boolean;
  diversify: boolean;
}

export const ALL_RULES: RankingRules = { definitions: true, exact: true, pathWords: true, demote: true, collapse: true, diversify: true };
export const NO_RULES: RankingRules = {
  definitions: false,
  exact: false,
  pathWords: false,
  demote: false,
  collapse: false,
  diversify: false,
};

const DEFINES_BOOST = 2;
const EXACT_BOOST = 3;
/** Candidates whose text is read back to look for a pasted query word for word (they are read from disk). */
export const EXACT_CHECKED = 20;
const FILE_NAMED_BOOST = 1.5;
/** Per query word naming the file or a folder of it, up to PATH_WORDS_MAX. */
const PATH_WORD_BOOST = 0.25;
const PATH_WORDS_MAX = 2;
const DEMOTED = 0.5;
/** The n-th further chunk of a file already ranked scores DIVERSITY^n of its own score. */
const DIVERSITY = 0.7;

/** Kinds the chunker gives declarations that define a name. */
const DEFINITION_KINDS = new Set([
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'impl',
  'type',
  'function',
  'method',
  'module',
  'record',
  'namespace',
  'union',
  'macro',
  'constructor',
  'object',
  'extension',
]);

/** An identifier as typed: `parseArgs`, `Foo.bar`, `std::vector`, `Mocha#run`, `cJSON_Parse`. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*(?:(?:\.|::|#|->)[A-Za-z_$][\w$]*)*$/;

/** Path parts that mark code most searches are not after, and the query words that ask for it anyway. */
const DEMOTED_PATHS: { test: RegExp; askedBy: RegExp }[] = [
  {
    test: /(^|\/)(tests?|__tests__|spec|specs|testing|testdata)\/|(^|\/)test_[^/]*$|[._-](test|spec)s?\.[^/]+$|_test\.go$|Tests?\.(java|cs|kt)$/i,
    askedBy: /\b(tests?|spec|specs|testing|assert\w*)\b/i,
  },
  { test: /(^|\/)(examples?|samples?|demos?)\//i, askedBy: /\b(examples?|samples?|demos?)\b/i },
  { test: /(^|\/)(fixtures?|mocks?|__mocks__)\//i, askedBy: /\b(fixtures?|mocks?)\b/i },
  { test: /(^|\/)(vendor|vendored|third[_-]?party|external|deps)\//i, askedBy: /\b(vendor\w*|third[ _-]?party)\b/i },
  {
    test: /(^|\/)(compat|legacy|polyfills?|shims?)\/|[._-](compat|legacy|polyfill|shim)\.[^/]+$/i,
    askedBy: /\b(compat\w*|legacy|polyfill\w*|shim)\b/i,
  },
  { test: /\.d\.[cm]?ts$/i, askedBy: /\b(types?|typings?|declarations?|d\.ts)\b/i },
];

/** Pasted code rather than words: several lines, or the punctuation prose does not have. */
export function looksLikeCode(query: string): boolean {
  return /\n/.test(query.trim()) || /[;{}=]|\(\s*\)|=>|->|::/.test(query);
}

/** Whitespace-insensitive text, so a pasted excerpt matches whatever indentation it was pasted with. */
export function squeezed(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The lines of a pasted excerpt worth finding: squeezed, without lone brackets and other one-character lines. */
function pastedLines(query: string): string[] {
  return query
    .split('\n')
    .map(squeezed)
    .filter(l => l.length >= 3);
}

/**
 * Applies the score rules and re-sorts; collapse and diversify are done by finalize(). `texts` holds, for
 * code queries, the text of the best candidates by label (see EXACT_CHECKED).
 */
export function rank(candidates: Candidate[], query: string, rules: RankingRules, texts?: Map<number, string>): Candidate[] {
  const q = query.trim();
  const code = looksLikeCode(q);
  const identifier = !code && IDENTIFIER.test(q) ? normalName(lastSegment(q)) : undefined;
  const words = identifier || code ? [] : queryWords(q);
  const demotions = code ? [] : DEMOTED_PATHS.filter(d => !d.askedBy.test(q));
  const pasted = code ? pastedLines(q) : [];
  for (const c of candidates) {
    const text = texts?.get(c.label);
    if (rules.exact && pasted.length && text !== undefined) {
      // Lines, not the whole excerpt: an excerpt that straddles two chunks lifts both, in proportion.
      const body = squeezed(text);
      const held = pasted.filter(line => body.includes(line)).length;
      if (held) boost(c, 1 + ((EXACT_BOOST - 1) * held) / pasted.length, 'exact');
    }
    const { path, symbol, kind } = c.meta;
    if (rules.definitions && identifier) {
      if (DEFINITION_KINDS.has(kind) && symbol && normalName(lastSegment(symbol)) === identifier) boost(c, DEFINES_BOOST, 'defines');
      if (normalName(fileStem(path)) === identifier) boost(c, FILE_NAMED_BOOST, 'file-name');
    }
    if (rules.pathWords && words.length) {
      const named = pathWordsOf(path);
      const hits = words.filter(w => named.has(w)).length;
      if (hits) boost(c, 1 + PATH_WORD_BOOST * Math.min(hits, PATH_WORDS_MAX), 'path-words');
    }
    if (rules.demote && demotions.some(d => d.test.test(path))) boost(c, DEMOTED, 'demoted');
  }
  return candidates.sort((a, b) => b.score - a.score);
}

export interface FinalHit extends Candidate {
  /** Other files holding this chunk's exact text (collapse). */
  alsoIn?: string[];
}

/** Collapses identical chunks, discounts a file's later chunks, and keeps the best k. Input sorted best first. */
export function finalize(ranked: Candidate[], k: number, rules: RankingRules): FinalHit[] {
  let list: FinalHit[] = ranked;
  if (rules.collapse) list = collapse(list);
  if (rules.diversify) list = diversify(list);
  return list.slice(0, k);
}

function collapse(ranked: Candidate[]): FinalHit[] {
  const byKey = new Map<string, FinalHit>();
  const out: FinalHit[] = [];
  for (const c of ranked) {
    const key = c.meta.key;
    const first = key === undefined ? undefined : byKey.get(key);
    if (first) {
      if (first.meta.path !== c.meta.path && !first.alsoIn?.includes(c.meta.path)) (first.alsoIn ??= []).push(c.meta.path);
      continue;
    }
    const hit: FinalHit = { ...c };
    if (key !== undefined) byKey.set(key, hit);
    out.push(hit);
  }
  return out;
}

function diversify(ranked: FinalHit[]): FinalHit[] {
  const seen = new Map<string, number>();
  const out = ranked.map(c => {
    const n = seen.get(c.meta.path) ?? 0;
    seen.set(c.meta.path, n + 1);
    return n === 0 ? c : { ...c, score: c.score * DIVERSITY ** n };
  });
  return out.sort((a, b) => b.score - a.score);
}

function boost(c: Candidate, factor: number, why: string): void {
  c.score *= factor;
  c.why.boosts.push(why);
}

function lastSegment(name: string): string {
  const parts = name.split(/\.|::|#|->/);
  return parts[parts.length - 1];
}

/** parse_args, parseArgs and ParseArgs name the same thing to a person typing a query. */
function normalName(name: string): string {
  return name.replace(/[_$-]/g, '').toLowerCase();
}

/** The query's words, lower-cased, with a plural's s dropped so "responses" names response.js. */
function queryWords(q: string): string[] {
  return [
    ...new Set(
      q
        .split(/[^\p{L}\p{N}_$-]+/u)
        .flatMap(w => [w.toLowerCase(), ...splitIdentifier(w)])
        .filter(w => w.length > 2)
        .map(singular),
    ),
  ];
}

/** A path's stem and folder names, and the words inside them. */
function pathWordsOf(filePath: string): Set<string> {
  const parts = filePath.split('/');
  const names = [fileStem(filePath), ...parts.slice(0, -1)];
  return new Set(names.flatMap(n => [n.toLowerCase(), ...splitIdentifier(n)]).map(singular));
}

function singular(w: string): string {
  return w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}
