// node dist/trainVocab.js [--pairs FILE] [--out DIR] [--words N]: the model's own vocabulary, then the pairs
// tokenized with it. BERT's WordPiece vocabulary was made for English prose: it cuts everyday code words
// into pieces (parse -> par ##se, args -> ar ##gs, ptr -> pt ##r), which a bag of tokens then confuses with
// every other word holding those pieces. This keeps BERT's special tokens, single characters and ## pieces
// (so any word still has a cover) and adds the N most frequent word parts of the training code and queries,
// counted after the same identifier splitting the tokenizer does, each in at least MIN_PACKAGES packages.
// The pairs' q/c ids are then redone with CodeWordPiece over that vocabulary: one tokenizer, in TypeScript.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { splitIdentifier } from '../server/src/engine/lexical/codeTerms';
import { CodeWordPiece } from '../server/src/engine/model/codeWordPiece';

const ROOT = path.resolve(__dirname, '..');
const BERT_VOCAB = path.resolve(ROOT, '..', 'shared', 'models', 'minilm-standin', 'vocab.txt');
/** A word of one package only is that package's jargon (or a generated name), not the language's. */
const MIN_PACKAGES = 3;
const TOKEN = /[\p{L}\p{N}_$]+/gu;

interface Pair {
  pkg: string;
  lang: string;
  path: string;
  query: string;
  code: string;
  q: number[];
  c: number[];
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function* pairsOf(file: string): AsyncGenerator<Pair> {
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity }))
    if (line) yield JSON.parse(line) as Pair;
}

async function countWords(file: string): Promise<Map<string, { n: number; pkgs: Set<string> }>> {
  const words = new Map<string, { n: number; pkgs: Set<string> }>();
  for await (const p of pairsOf(file)) {
    for (const text of [p.query, p.code]) {
      for (const [token] of text.matchAll(TOKEN)) {
        if (token.length > 40) continue;
        for (const w of splitIdentifier(token)) {
          if (w.length < 2 || /^\d+$/.test(w)) continue;
          let e = words.get(w);
          if (!e) {
            e = { n: 0, pkgs: new Set() };
            words.set(w, e);
          }
          e.n++;
          if (e.pkgs.size < MIN_PACKAGES) e.pkgs.add(p.pkg);
        }
      }
    }
  }
  return words;
}

/** BERT's specials (same order), its single characters and ## pieces, then the code words by frequency. */
function bertPieces(bert: string[]): string[] {
  return bert.filter(t => /^\[(PAD|UNK|CLS|SEP|MASK)\]$/.test(t) || [...t].length === 1 || t.startsWith('##'));
}

function bertKept(bert: string[]): number {
  return bertPieces(bert).length;
}

function buildVocab(bert: string[], words: Map<string, { n: number; pkgs: Set<string> }>, max: number): string[] {
  const kept = bertPieces(bert);
  const have = new Set(kept);
  const common = [...words]
    .filter(([w, e]) => e.pkgs.size >= MIN_PACKAGES && !have.has(w))
    .sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
  return [...kept, ...common.slice(0, max).map(([w]) => w)];
}

async function main(): Promise<void> {
  const pairs = arg('pairs', path.join(ROOT, '.bench', 'train', 'pairs.jsonl'));
  const out = arg('out', path.join(ROOT, '.bench', 'train', 'code-vocab'));
  const max = Number(arg('words', '24000'));
  fs.mkdirSync(out, { recursive: true });
  const bert = fs
    .readFileSync(BERT_VOCAB, 'utf8')
    .split('\n')
    .map(l => l.replace(/\r$/, ''))
    .filter(Boolean);
  const t0 = performance.now();
  const vocab = buildVocab(bert, await countWords(pairs), max);
  fs.writeFileSync(path.join(out, 'vocab.txt'), vocab.join('\n') + '\n');
  const tok = CodeWordPiece.fromVocabText(vocab.join('\n'));
  const ids = (text: string) => text.split('\n').flatMap(l => [...tok.encodeLine(l)]);
  const dest = fs.createWriteStream(path.join(out, 'pairs.jsonl'));
  let n = 0,
    before = 0,
    after = 0;
  for await (const p of pairsOf(pairs)) {
    const q = ids(p.query),
      c = ids(p.code);
    before += p.q.length + p.c.length;
    after += q.length + c.length;
    if (!dest.write(JSON.stringify({ ...p, q, c }) + '\n')) await new Promise<void>(r => dest.once('drain', () => r()));
    n++;
  }
  await new Promise<void>(r => dest.end(() => r()));
  console.log(
    `${vocab.length} tokens (${bertKept(bert)} from BERT), ${n} pairs re-tokenized: ${before} -> ${after} tokens (${(after / before).toFixed(3)}) in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${out}`,
  );
}

main().catch(e => {
  console.error(`trainVocab: ${(e as Error).message}`);
  process.exit(1);
});
