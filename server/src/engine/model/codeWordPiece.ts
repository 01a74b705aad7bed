// The static model's tokenizer: identifiers are split into their words first (parseHTTPResponse -> parse
// http response), then every word is cut into WordPiece sub-words of the model's vocabulary, lower-cased and
// without accents, the way BERT's uncased tokenizer does. Splitting first matters for code: BERT alone cuts
// "getUserName" into get ##user ##name pieces that share nothing with the query words "user name".
//
// Written by hand rather than run through @xenova/transformers because it is the static model's whole cost:
// greedy longest-match WordPiece over a Map is a few lines, and remembering each word's ids makes code, which
// repeats its identifiers, cheap to tokenize (measured in the README's model section). The training pipeline
// (train/) tokenizes its pairs through this same file, so training and search always agree.

import { splitIdentifier } from '../lexical/codeTerms';
import type { LineTokenizer } from './tokenizer';

/** Words longer than this become [UNK], as in BERT. */
const MAX_WORD_CHARS = 100;
/** The token -> ids memo is dropped whole when it grows past this many tokens (a bound, not an LRU: cheap). */
const MEMO_WORDS = 200_000;
const MEMO_MAX_CHARS = 64;

/** Runs of letters and digits (identifiers, split below) and single other non-space characters (punctuation). */
const TOKEN = /[\p{L}\p{N}_$]+|[^\s\p{L}\p{N}_$]/gu;
const COMBINING_MARKS = /\p{Mn}/gu;

export class CodeWordPiece implements LineTokenizer {
  private readonly memo = new Map<string, Int32Array | number>();
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly unkId: number;

  /** `lines`: how many ids the vocabulary file numbers (blank or repeated lines included), for the model's check. */
  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    readonly lines = vocab.size,
  ) {
    const id = (t: string): number => {
      const v = vocab.get(t);
      if (v === undefined) throw new Error(`The vocabulary has no ${t} token; it must be a BERT-style WordPiece vocabulary.`);
      return v;
    };
    this.clsId = id('[CLS]');
    this.sepId = id('[SEP]');
    this.padId = id('[PAD]');
    this.unkId = id('[UNK]');
  }

  /** A vocabulary file as BERT ships it: one token per line, the line number is the id. */
  static fromVocabText(text: string): CodeWordPiece {
    const vocab = new Map<string, number>();
    const lines = text.replace(/\n$/, '').split('\n');
    lines.forEach((line, i) => {
      const t = line.replace(/\r$/, '');
      if (t !== '' && !vocab.has(t)) vocab.set(t, i);
    });
    return new CodeWordPiece(vocab, lines.length);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  encodeLine(line: string): Int32Array {
    const out: number[] = [];
    for (const [token] of line.matchAll(TOKEN)) {
      const ids = this.memo.get(token) ?? this.remember(token);
      if (typeof ids === 'number') out.push(ids);
      else for (const id of ids) out.push(id);
    }
    return Int32Array.from(out);
  }

  /** The ids of one token as written (an identifier, a word or a punctuation mark), kept for its next use. */
  private remember(token: string): Int32Array | number {
    if (this.memo.size >= MEMO_WORDS) this.memo.clear();
    const parts = token.length === 1 && !/[\p{L}\p{N}]/u.test(token) ? [token] : splitIdentifier(token);
    const pieces = parts.flatMap(part => this.wordPieces(part));
    const ids = pieces.length === 1 ? pieces[0] : Int32Array.from(pieces);
    // Long tokens (hashes, base64) rarely come back and would make the memo's bound a matter of bytes.
    if (token.length <= MEMO_MAX_CHARS) this.memo.set(token, ids);
    return ids;
  }

  /** Greedy longest-match-first over the vocabulary; a word with no cover is one [UNK]. */
  private wordPieces(raw: string): number[] {
    const word = /[^ -~]/.test(raw) ? raw.normalize('NFD').replace(COMBINING_MARKS, '') : raw;
    if (word.length === 0) return [];
    if (word.length > MAX_WORD_CHARS) return [this.unkId];
    const ids: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found: number | undefined;
      while (start < end) {
        const piece = (start > 0 ? '##' : '') + word.slice(start, end);
        found = this.vocab.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [this.unkId];
      ids.push(found);
      start = end;
    }
    return ids;
  }
}
