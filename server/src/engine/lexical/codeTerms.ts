// Code-aware terms for the lexical index: identifiers are kept whole and also split into their words
// (camelCase, PascalCase, snake_case, kebab-case, digits), all lower-cased, so a query "parse args" finds
// parseArgs and parse_args, and a query "parseArgs" finds it whole. The same function reads chunks and
// queries, so both sides always agree.

import { stemmer } from 'stemmer';

/** Longer runs are data (base64, hashes), not words anyone searches for. */
const MAX_TERM_CHARS = 64;

/** English glue words: they match everywhere and only grow the postings. Code keywords are kept. */
const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'has',
  'have',
  'how',
  'in',
  'into',
  'is',
  'it',
  'its',
  'of',
  'on',
  'or',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'this',
  'to',
  'was',
  'what',
  'when',
  'where',
  'which',
  'who',
  'why',
  'will',
  'with',
  'does',
  'do',
  'can',
  'we',
  'you',
  'our',
  'my',
  'i',
]);

export interface TermOptions {
  /** Porter-stem every word part (whole identifiers are kept as written). */
  stem: boolean;
}

/** Stemming is on: on the quality benchmark it lifted NDCG@10 by 0.02 (README, "Retrieval quality"). */
export const DEFAULT_TERM_OPTIONS: TermOptions = { stem: true };

/** A token: a run of letters, digits, '_' and '$', with kebab-case runs (a-b-c) also kept joined. */
const TOKEN = /[\p{L}\p{N}_$]+(?:-[\p{L}\p{N}_$]+)*/gu;

/** The words inside one identifier: "parseHTTPResponse2_v" -> parse, http, response, 2, v. */
export function splitIdentifier(token: string): string[] {
  return token
    .split(/[_$-]+/)
    .flatMap(part => part.match(/\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+|[^\p{L}\p{N}]+/gu) ?? [])
    .map(w => w.toLowerCase())
    .filter(w => w.length > 0);
}

/** Every term of `text`, repeats included (they are term frequency). */
export function codeTerms(text: string, options: TermOptions = DEFAULT_TERM_OPTIONS): string[] {
  const out: string[] = [];
  forEachTerm(text, options, term => out.push(term));
  return out;
}

/**
 * A query's terms with their weights: a word the user typed counts 1; the words split out of an identifier
 * they typed count less, so "parseArgs" ranks the chunks holding parseArgs above those holding parse and
 * args apart.
 */
export function queryTerms(query: string, options: TermOptions = DEFAULT_TERM_OPTIONS): Map<string, number> {
  const weights = new Map<string, number>();
  forEachTerm(query, options, (term, weight) => weights.set(term, (weights.get(term) ?? 0) + weight));
  return weights;
}

/**
 * The one tokenizer both sides use. Each token gives its whole lower-cased form (stemmed when it is one word)
 * with weight 1 and, when it has several words, each word with weight 1/words. A kebab run's pieces may be
 * identifiers themselves (content-type, my-fooBar), so they are split too.
 */
function forEachTerm(text: string, options: TermOptions, emit: (term: string, weight: number) => void): void {
  const memo = options.stem ? STEMMED : UNSTEMMED;
  for (const [token] of text.matchAll(TOKEN)) {
    if (token.length > MAX_TERM_CHARS) continue;
    let terms = memo.get(token);
    if (!terms) {
      if (memo.size >= MEMO_TOKENS) memo.clear();
      terms = tokenTerms(token, options);
      memo.set(token, terms);
    }
    for (let i = 0; i < terms.length; i += 2) emit(terms[i] as string, terms[i + 1] as number);
  }
}

/** Code repeats its identifiers: each token's terms are worked out once (splitting and stemming were a
 *  tenth of a cold index run with the static model) and kept, up to this many tokens. */
const MEMO_TOKENS = 200_000;
const STEMMED = new Map<string, (string | number)[]>();
const UNSTEMMED = new Map<string, (string | number)[]>();

/** One token's terms and weights, flat: [term, weight, term, weight, ...]. */
function tokenTerms(token: string, options: TermOptions): (string | number)[] {
  const out: (string | number)[] = [];
  const keep = (term: string, weight: number) => {
    if (term.length >= 2 && !STOP_WORDS.has(term)) out.push(term, weight);
  };
  const word = (w: string) => (options.stem ? stemmer(w) : w);
  const parts = splitIdentifier(token);
  const whole = token.toLowerCase();
  if (parts.length === 1) {
    keep(word(whole), 1);
    return out;
  }
  keep(whole, 1);
  for (const part of parts) keep(word(part), 1 / parts.length);
  return out;
}

/** The name of a file without folders or extensions: "lib/response.test.js" -> "response". */
export function fileStem(filePath: string): string {
  const base = filePath.slice(filePath.lastIndexOf('/') + 1);
  const dot = base.indexOf('.', 1);
  return dot > 0 ? base.slice(0, dot) : base;
}

/** How many parent folders of a chunk's path are indexed as its path terms. */
export const PATH_FOLDERS = 2;

/** The path words a chunk is known by: its file stem and its last folders ("lib/http/response.js" -> response, http, lib). */
export function pathText(filePath: string): string {
  const parts = filePath.split('/');
  return [fileStem(filePath), ...parts.slice(Math.max(0, parts.length - 1 - PATH_FOLDERS), -1)].join(' ');
}
