// node dist/trainExtract.js [--vocab FILE] [--jobs N] [--max-per-package N] [name...]: (query, code) training
// pairs from the packages unpacked by trainFetch, in the manner of CodeSearchNet: every documented function,
// method or class; the doc's first sentence is the query, the declaration without its doc is the code.
//
// The code side is cut by the product's own chunker with the product's tokenizer and default budget, so it
// looks exactly like what the product embeds (a declaration over budget gives its first window). Chunks of
// declarations carry their leading comments (declarations.ts), so the doc is normally the top of the chunk;
// when it is not (a comment kind the grammar leaves out), the lines right above the chunk are read instead.
// Python docstrings sit inside the body and are cut out of it.
//
// Writes .bench/train/pairs.jsonl (one {"pkg","lang","path","query","code","q","c"} per line, q and c the
// CodeWordPiece ids of query and code, no [CLS]/[SEP]) and pairs-stats.json. Packages are split over N
// child processes (parsing is CPU bound), each writing .bench/train/parts/<name>.jsonl; the parent merges them
// in manifest order, dropping code already taken from an earlier package (vendored copies).

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { firstSentence, stripMarkup } from '../bench/quality/autoSet';
import { refuseReservedFolders } from '../bench/reserved';
import { DEFAULT_SETTINGS } from '../common/settings';
import { Chunker } from '../server/src/engine/chunker/chunker';
import { grammarForPath } from '../server/src/engine/chunker/languages';
import { CodeWordPiece } from '../server/src/engine/model/codeWordPiece';
import { isDefaultExcludedFolder } from '../server/src/engine/scanner/defaultExcludes';
import { loadManifest, refusal, TRAIN_DIR, trainLayout, type TrainPackage } from './fetchTraining';

/** Bump when extraction changes: cached parts/<name>.jsonl of another version are redone. */
const EXTRACT_VERSION = 2;
const DEFAULT_VOCAB = path.resolve(__dirname, '..', '..', 'shared', 'models', 'minilm-standin', 'vocab.txt');
const MIN_WORDS = 3;
const MAX_WORDS = 40;
/** No package may drown the others (generated SDKs document thousands of look-alike methods). */
const DEFAULT_MAX_PER_PACKAGE = 15000;
/** Code with fewer tokens than this (a bare `def f():` once its docstring is gone) teaches nothing. */
const MIN_CODE_TOKENS = 6;
const MAX_FILE_BYTES = 1 << 20;
/** Average characters per line above which a file is minified or bundled. */
const MAX_AVG_LINE = 300;

const LANGUAGE_OF_GRAMMAR: Record<string, string> = {
  javascript: 'javascript',
  typescript: 'typescript',
  tsx: 'typescript',
  python: 'python',
  go: 'go',
  rust: 'rust',
  java: 'java',
  c: 'c',
  cpp: 'cpp',
  c_sharp: 'csharp',
};
/** Chunk kinds that are a function, method or class-like type; modules, namespaces, impl blocks, variables
 *  and plain line windows are not. */
const TAKEN_KINDS = new Set([
  'function',
  'method',
  'constructor',
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'type',
  'record',
  'macro',
  'property',
]);

export interface Pair {
  pkg: string;
  lang: string;
  path: string;
  query: string;
  code: string;
  q: number[];
  c: number[];
}

// ---- Which files: sources only, once. ----

const TEST_FOLDERS = new Set([
  'test',
  'tests',
  '__tests__',
  '__test__',
  'testing',
  'testdata',
  'test_data',
  'spec',
  'specs',
  'e2e',
  'fixtures',
  '__fixtures__',
  '__mocks__',
  'benchmarks',
  'bench',
  'unittests',
  'unittest',
]);
const TEST_FILE =
  /(^test_.*\.py$|_test\.(py|go|cc|cpp|c)$|\.(test|spec)\.[cm]?[jt]sx?$|^conftest\.py$|Tests?\.(java|cs)$|_unittest\.(cc|cpp)$)/;
const MINIFIED = /[.-]min\.[cm]?js$|[.-](bundle|umd|iife|global|browser|cdn|standalone)\.[cm]?js$|^(cdn|bundle|umd)\.[cm]?js$/;
/** The folders the product never indexes, except the build output ones a package may ship its only code in. */
const BUILD_FOLDERS = new Set(['dist', 'build', 'out']);

function isTypesFile(rel: string): boolean {
  return /\.d\.[cm]?ts$/.test(rel);
}

/** Code files of one package, '/'-separated and sorted: test folders and files, minified and bundled files and
 *  the indexer's default-excluded folders left out. dist/, build/ and out/ are read only when the package has
 *  no code anywhere else (many npm packages ship nothing but their compiled output). Declaration files
 *  (.d.ts) come last: a doc sentence already taken from real code is not taken again from its bare signature
 *  (one pair per sentence and package, below), while docs found only there (compiled .js without comments
 *  beside a documented .d.ts, @types/*, TypeScript's lib.*.d.ts) still make pairs. */
export function codeFiles(root: string): string[] {
  let files = walk(root, false);
  if (files.length === 0) files = walk(root, true);
  // Sources before their compiled copies: .ts, then .js/.mjs/.jsx, then CommonJS builds, then declarations.
  const rank = (f: string) =>
    isTypesFile(f) ? 3 : /\.[cm]?tsx?$/.test(f) ? 0 : /\.cjs$/.test(f) || /(^|\/)(cjs|commonjs|node)\//.test(f) ? 2 : 1;
  return files
    .map((f, i) => ({ f, i, r: rank(f) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(x => x.f);
}

function walk(root: string, withBuild: boolean, rel = ''): string[] {
  const out: string[] = [];
  const entries = fs
    .readdirSync(path.join(root, rel), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name.startsWith('.') || TEST_FOLDERS.has(e.name.toLowerCase())) continue;
      if (isDefaultExcludedFolder(child) && !(withBuild && BUILD_FOLDERS.has(e.name))) continue;
      out.push(...walk(root, withBuild, child));
    } else if (e.isFile() && grammarForPath(e.name) && !TEST_FILE.test(e.name) && !MINIFIED.test(e.name)) {
      out.push(child);
    }
  }
  return out;
}

// ---- Doc comments. ----

/** A comment above a declaration, as written: its rows in the chunk and its style. */
interface DocBlock {
  text: string;
  style: 'jsdoc' | 'block' | 'slash3' | 'slash2' | 'tail';
  first: number;
  last: number;
}

/** Splits the leading rows of a chunk into comment blocks and attribute/decorator rows, up to the first code
 *  row. Returns the blocks and the index of that code row. */
function leadingBlocks(lines: string[], lang: string): { blocks: DocBlock[]; codeRow: number } {
  const blocks: DocBlock[] = [];
  let i = 0;
  // A window that starts inside a block comment (a long doc split by the budget): its tail, up to '*/'.
  const top = lines.findIndex(l => l.trim() !== '');
  if (top >= 0 && /^\*(?!\/)|^\*\/$/.test(lines[top].trim())) {
    let j = top;
    while (j < lines.length && !lines[j].includes('*/') && !lines[j].includes('/*')) j++;
    if (j < lines.length && lines[j].includes('*/') && lines[j].slice(lines[j].indexOf('*/') + 2).trim() === '') {
      blocks.push({ text: lines.slice(top, j + 1).join('\n'), style: 'tail', first: top, last: j });
      i = j + 1;
    }
  }
  while (i < lines.length) {
    const t = lines[i].trim();
    if (t === '') {
      i++;
      continue;
    }
    if (t.startsWith('/*')) {
      let j = i;
      while (j < lines.length && !lines[j].includes('*/', j === i ? lines[i].indexOf('/*') + 2 : 0)) j++;
      if (j >= lines.length) break; // unterminated: not a comment we understand
      if (lines[j].slice(lines[j].indexOf('*/') + 2).trim() !== '') break; // code after the comment on its row
      const text = lines.slice(i, j + 1).join('\n');
      blocks.push({ text, style: /^\/\*\*[^*/]/.test(t) || t === '/**' ? 'jsdoc' : 'block', first: i, last: j });
      i = j + 1;
      continue;
    }
    if (t.startsWith('//')) {
      const slash3 = /^\/\/\/(?!\/)/.test(t);
      const inner = t.startsWith('//!');
      let j = i;
      while (
        j + 1 < lines.length &&
        lines[j + 1].trim().startsWith('//') &&
        /^\/\/\/(?!\/)/.test(lines[j + 1].trim()) === slash3 &&
        lines[j + 1].trim().startsWith('//!') === inner
      )
        j++;
      blocks.push({ text: lines.slice(i, j + 1).join('\n'), style: inner ? 'block' : slash3 ? 'slash3' : 'slash2', first: i, last: j });
      if (inner) blocks[blocks.length - 1].text = ''; // //! documents the enclosing module, never this item
      i = j + 1;
      continue;
    }
    // Rust attributes, JS/TS decorators, C# attributes sit between a doc and its declaration.
    if (
      (lang === 'rust' && t.startsWith('#[')) ||
      ((lang === 'typescript' || lang === 'javascript') && /^@\w/.test(t)) ||
      (lang === 'csharp' && /^\[\w/.test(t))
    ) {
      i++;
      continue;
    }
    break;
  }
  return { blocks, codeRow: i };
}

/** Whether a comment of this style is a doc comment in this language (and file). */
function isDocStyle(b: DocBlock, lang: string, rel: string): boolean {
  if (!b.text) return false;
  switch (lang) {
    case 'javascript':
    case 'typescript':
    case 'java':
      return b.style === 'jsdoc';
    case 'rust':
      return b.style === 'slash3' || b.style === 'jsdoc';
    case 'csharp':
      return b.style === 'slash3' || b.style === 'jsdoc';
    case 'go':
      return b.style === 'slash2' || b.style === 'block';
    case 'c':
    case 'cpp':
      // Doxygen styles anywhere; a plain comment only above a declaration in a header, where it is the API doc.
      return b.style === 'jsdoc' || b.style === 'slash3' || (/\.(h|hh|hpp|hxx)$/.test(rel) && !/^\s*\/\*!/.test(b.text));
    default:
      return false;
  }
}

/** The comment's words: markers, leading stars and C#'s XML reduced to text (summary first). */
function commentText(b: DocBlock, lang: string): string {
  let body: string;
  if (b.style === 'jsdoc' || b.style === 'block') {
    body = b.text
      .replace(/^\s*\/\*+!?/, '')
      .replace(/\*+\/\s*$/, '')
      .split('\n')
      .map(l => l.replace(/^\s*\*+ ?/, ''))
      .join('\n');
  } else {
    body = b.text
      .split('\n')
      .map(l => l.replace(/^\s*\/\/+!? ?/, ''))
      .join('\n');
  }
  if (lang === 'csharp' || /<summary>/.test(body)) {
    const summary = /<summary>([\s\S]*?)<\/summary>/.exec(body);
    if (summary) body = summary[1];
    else if (/^\s*<\w+/.test(body)) return ''; // only <param>/<inheritdoc/>: no description
    body = body
      .replace(/<(?:see|seealso)\s+(?:cref|langword|href)="(?:[A-Z]:)?([^"]+)"\s*\/>/g, (_, t: string) =>
        t.replace(/\(.*$/, '').split('.').pop()!,
      )
      .replace(/<(?:paramref|typeparamref)\s+name="([^"]+)"\s*\/>/g, '$1')
      .replace(/<\/?(?:c|code|para|b|i|em|strong|term|description|item|list)\b[^>]*>/g, ' ');
  }
  return body;
}

/** The description part of a doc: before the first tag line (@param, \param, @return...), or what @brief,
 *  \brief, @description or @summary hold when the doc opens with a tag. */
function description(body: string): string {
  const lines = body.split('\n');
  const brief = /^\s*[@\\](?:brief|short|summary|description|desc)\b\s*/;
  const out: string[] = [];
  for (const line of lines) {
    if (brief.test(line)) {
      if (out.some(l => l.trim())) break;
      out.push(line.replace(brief, ''));
      continue;
    }
    if (/^\s*[@\\]\w/.test(line)) {
      if (out.some(l => l.trim())) break;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

const SECTION_START =
  /^(:[\w .]+:(\s|$)|@\w|\\\w|>>>|\.\. |[-=~^]{3,}|```|#+\s|(Args|Arguments|Parameters|Params|Returns?|Yields?|Raises|Throws|Examples?|Notes?|Usage|See also|Warning|Safety|Panics|Errors)\s*:?$)/i;
const BOILERPLATE =
  /^(todo|fixme|xxx|hack|deprecated|constructor|internal|private|helper|alias|see|same as|overrides?|inherit\w*|implementation of|copied from|generated|auto-?generated|do not edit|nolint|lint:|eslint|istanbul|prettier|jshint|@ts-|noinspection|pylint|type:|noqa|pragma)\b|\b(copyright|licen[cs]e[ds]?|spdx|@module|do not edit|generated by|automatically generated|code generated)\b/i;
const SIGNATURE = /^[\w.$:<>]+\(.*\)(\s*(->|=>|:).*)?$/;

/** The doc's first sentence as a query, or null when it makes none (too short or long, boilerplate). */
export function queryFromDoc(doc: string): string | null {
  const paragraph: string[] = [];
  for (const raw of doc.split('\n')) {
    const line = raw.trim();
    if (!line) {
      if (paragraph.length) break;
      continue;
    }
    if (SECTION_START.test(line)) break;
    if (paragraph.length && /^([-*+]|\d+[.)])\s/.test(line)) break; // a list: the lead-in alone is too little
    paragraph.push(line);
  }
  const text = stripMarkup(paragraph.join(' ').replace(/<\/?[a-zA-Z][^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  const first = firstSentence(text);
  if (first.endsWith(':')) return null;
  const sentence = first.replace(/[.:;,]+$/, '').trim();
  const words = sentence.split(' ').filter(w => /\w/.test(w)).length;
  if (words < MIN_WORDS || words > MAX_WORDS) return null;
  if (BOILERPLATE.test(sentence) || SIGNATURE.test(sentence) || /^\W|https?:\/\/|\{@|\$\{/.test(sentence)) return null;
  return sentence;
}

// ---- Python: the docstring is the body's first statement. ----

/** Rows of the docstring of the def/class starting at `row` (the chunk's lines), or null. */
function pythonDocstring(lines: string[], row: number): { first: number; last: number; text: string } | null {
  // The header ends on the first row where brackets balance and the row ends with ':' (a comment aside).
  let depth = 0;
  let h = row;
  for (; h < lines.length; h++) {
    const code = lines[h].replace(/#.*$/, '').replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""');
    for (const ch of code) {
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth--;
    }
    if (depth <= 0 && /:\s*$/.test(code)) break;
    if (depth <= 0 && /:\s*\S/.test(code) && !/:\s*$/.test(code) && /\)\s*(->\s*[^:]+)?:\s*\S/.test(code)) return null; // one-line body
  }
  let s = h + 1;
  while (s < lines.length && lines[s].trim() === '') s++;
  if (s >= lines.length) return null;
  const open = /^(\s*)[rRuU]?("""|'''|"|')/.exec(lines[s]);
  if (!open) return null;
  const quote = open[2];
  const start = lines[s].indexOf(quote, open[1].length) + quote.length;
  for (let e = s; e < lines.length; e++) {
    const from = e === s ? start : 0;
    const at = lines[e].indexOf(quote, from);
    if (at < 0) {
      if (quote.length === 1) return null;
      continue;
    }
    if (lines[e].slice(at + quote.length).trim() !== '') return null; // code after the string on its row
    const text = [lines[s].slice(start), ...lines.slice(s + 1, e + 1)].join('\n');
    return { first: s, last: e, text: text.slice(0, text.length - (lines[e].length - at)) };
  }
  return null;
}

/** Dedents a docstring the way inspect.cleandoc does, enough for paragraph splitting. */
function cleanDocstring(s: string): string {
  return s
    .split('\n')
    .map(l => l.trim())
    .join('\n');
}

// ---- One chunk -> one pair. ----

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The declaration's own name must be on one of its first code rows: a gap window labelled with a class's
 *  symbol (its fields between methods) or a later window of a long function is not the declaration. */
function declaresSymbol(lines: string[], codeRow: number, symbol: string): boolean {
  const short = symbol.split(/\.|::/).pop() ?? '';
  if (!short) return false;
  const re = new RegExp(`(^|[^\\w$])${escapeRe(short)}($|[^\\w$])`);
  for (let k = codeRow, seen = 0; k < lines.length && seen < 4; k++) {
    if (!lines[k].trim()) continue;
    if (re.test(lines[k])) return true;
    seen++;
  }
  return false;
}

function trimBlank(lines: string[]): string[] {
  let a = 0,
    b = lines.length;
  while (a < b && !lines[a].trim()) a++;
  while (b > a && !lines[b - 1].trim()) b--;
  return lines.slice(a, b);
}

function isCommentRow(line: string | undefined): boolean {
  const t = line?.trim() ?? '';
  return t.startsWith('//') || t.startsWith('*') || t.startsWith('/*') || t.endsWith('*/');
}

/** The doc block right above `startRow` (0-based) in the file, for chunks whose doc the chunker left out. */
function docAbove(fileLines: string[], startRow: number, lang: string): DocBlock | null {
  const e = startRow - 1;
  if (e < 0 || !fileLines[e].trim()) return null; // a doc is adjacent to what it documents
  const t = fileLines[e].trim();
  let s = e;
  if (t.endsWith('*/')) {
    while (s >= 0 && !fileLines[s].includes('/*')) s--;
    if (s < 0) return null;
  } else if (t.startsWith('//')) {
    while (s - 1 >= 0 && fileLines[s - 1].trim().startsWith('//')) s--;
  } else {
    return null;
  }
  const { blocks } = leadingBlocks(fileLines.slice(s, e + 1), lang);
  return blocks.length ? blocks[blocks.length - 1] : null;
}

interface Raw {
  query: string;
  code: string;
  lang: string;
  path: string;
}

function pairFrom(chunkText: string, startRow: number, symbol: string, lang: string, rel: string, fileLines: () => string[]): Raw | null {
  const lines = chunkText.split('\n');
  if (lang === 'python') {
    const short = escapeRe(symbol.split('.').pop() ?? '');
    const def = lines.findIndex(l => new RegExp(`^\\s*(async\\s+def|def|class)\\s+${short}\\b`).test(l));
    if (def < 0) return null;
    const doc = pythonDocstring(lines, def);
    if (!doc) return null;
    const query = queryFromDoc(cleanDocstring(doc.text));
    if (!query) return null;
    return { query, code: trimBlank([...lines.slice(0, doc.first), ...lines.slice(doc.last + 1)]).join('\n'), lang, path: rel };
  }
  const { blocks, codeRow } = leadingBlocks(lines, lang);
  if (!declaresSymbol(lines, codeRow, symbol)) return null;
  let doc = blocks.length ? blocks[blocks.length - 1] : null;
  let code: string[];
  if (doc) {
    // Only comments (a licence header, a stray note) and attributes may precede the declaration; drop every comment.
    const drop = new Set<number>();
    for (const b of blocks) for (let k = b.first; k <= b.last; k++) drop.add(k);
    code = lines.filter((_, k) => !drop.has(k));
    if (doc.last < codeRow - 1 && lines.slice(doc.last + 1, codeRow).some(l => !l.trim()))
      doc = null; // blank row between: not its doc
    // A window split the doc (the declaration was over budget): the chunk holds only its tail; read it whole.
    else if ((doc.style === 'tail' || doc.first === 0) && startRow > 0 && isCommentRow(fileLines()[startRow - 1]))
      doc = docAbove(fileLines(), startRow + doc.last + 1, lang);
  } else {
    doc = docAbove(fileLines(), startRow, lang);
    code = lines;
  }
  if (!doc || !isDocStyle(doc, lang, rel)) return null;
  const query = queryFromDoc(description(commentText(doc, lang)));
  if (!query) return null;
  return { query, code: trimBlank(code).join('\n'), lang, path: rel };
}

// ---- One package (in a child process). ----

interface PartMeta {
  version: number;
  stamp: string;
  files: number;
  documented: number;
  pairs: number;
}

/** Pairs of one package, written to parts/<name>.jsonl; the documented-chunk and file counts go to its meta. */
async function extractPackage(
  p: TrainPackage,
  dir: string,
  tok: CodeWordPiece,
  chunker: Chunker,
  maxPerPackage: number,
  partFile: string,
): Promise<PartMeta> {
  const files = codeFiles(dir);
  const byQuery = new Set<string>();
  const raws: Raw[] = [];
  let documented = 0;
  for (const rel of files) {
    const abs = path.join(dir, rel);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      continue;
    } // a dangling link
    if (st.size > MAX_FILE_BYTES || st.size === 0) continue;
    const text = fs.readFileSync(abs, 'utf8');
    const grammar = grammarForPath(rel, text);
    const lang = grammar ? LANGUAGE_OF_GRAMMAR[grammar] : undefined;
    if (!lang) continue;
    const newlines = (text.match(/\n/g)?.length ?? 0) + 1;
    if (text.length / newlines > MAX_AVG_LINE) continue; // minified or bundled
    // A file with no doc marker of its language cannot give a pair: skip its parse.
    if (!(lang === 'python' ? /"""|'''/ : lang === 'go' || lang === 'c' || lang === 'cpp' ? /\/\/|\/\*/ : /\/\*\*|\/\/\//).test(text))
      continue;
    const { chunks } = await chunker.chunkFile(rel, text, tok, {
      maxTokens: DEFAULT_SETTINGS.maxChunkTokens,
      maxChunksPerFile: Number.MAX_SAFE_INTEGER,
    });
    let fileLines: string[] | undefined;
    for (const ch of chunks) {
      if (!TAKEN_KINDS.has(ch.kind)) continue;
      const raw = pairFrom(
        ch.text,
        ch.startLine - 1,
        ch.symbol,
        lang,
        rel,
        () => (fileLines ??= text.split('\n').map(l => l.replace(/\r$/, ''))),
      );
      if (!raw) continue;
      documented++;
      // One pair per doc sentence in a package: ESM and CJS copies, overloads and generated look-alikes repeat it.
      const key = raw.query.toLowerCase();
      if (byQuery.has(key)) continue;
      byQuery.add(key);
      raws.push(raw);
    }
  }
  // Over the cap, a seeded hash picks which to keep: spread over the package, the same on every run.
  let kept = raws;
  if (raws.length > maxPerPackage) {
    const rank = (r: Raw) => createHash('sha1').update(`${p.name}\0${r.path}\0${r.query}`).digest('hex');
    const ranked = raws
      .map(r => ({ r, k: rank(r) }))
      .sort((a, b) => (a.k < b.k ? -1 : 1))
      .slice(0, maxPerPackage);
    const keep = new Set(ranked.map(x => x.r));
    kept = raws.filter(r => keep.has(r));
  }
  const out = fs.openSync(partFile + '.tmp', 'w');
  let pairs = 0;
  for (const r of kept) {
    const c = encode(tok, r.code.split('\n'));
    if (c.length < MIN_CODE_TOKENS) continue;
    const pair: Pair = { pkg: p.name, lang: r.lang, path: r.path, query: r.query, code: r.code, q: encode(tok, [r.query]), c };
    fs.writeSync(out, JSON.stringify(pair) + '\n');
    pairs++;
  }
  fs.closeSync(out);
  fs.renameSync(partFile + '.tmp', partFile);
  return { version: EXTRACT_VERSION, stamp: '', files: files.length, documented, pairs };
}

/** Ids of the lines, concatenated: what the product's tokenizer gives the text (it splits on newlines). */
function encode(tok: CodeWordPiece, lines: string[]): number[] {
  const out: number[] = [];
  for (const l of lines) for (const id of tok.encodeLine(l)) out.push(id);
  return out;
}

/** The corpus folder's stamp: a part is reused only for the same unpacked folder, manifest entry and version. */
function stampOf(p: TrainPackage, dir: string, maxPerPackage: number): string {
  const complete = fs.statSync(path.join(dir, '.complete')).mtimeMs;
  return createHash('sha1').update(JSON.stringify({ EXTRACT_VERSION, p, complete, maxPerPackage })).digest('hex').slice(0, 16);
}

async function worker(names: string[], vocab: string, maxPerPackage: number): Promise<void> {
  const tok = CodeWordPiece.fromVocabText(fs.readFileSync(vocab, 'utf8'));
  const chunker = await Chunker.create();
  const manifest = new Map(loadManifest().map(p => [p.name, p]));
  const parts = path.join(TRAIN_DIR, 'parts');
  for (const name of names) {
    const p = manifest.get(name)!;
    const dir = path.join(trainLayout().corpus, name);
    const partFile = path.join(parts, `${name}.jsonl`);
    const metaFile = path.join(parts, `${name}.meta.json`);
    const t0 = Date.now();
    try {
      const stamp = stampOf(p, dir, maxPerPackage);
      if (fs.existsSync(metaFile) && fs.existsSync(partFile) && (JSON.parse(fs.readFileSync(metaFile, 'utf8')) as PartMeta).stamp === stamp)
        continue;
      refuseReservedFolders(dir); // a vendored copy of a reserved project, however it got there
      const meta = await extractPackage(p, dir, tok, chunker, maxPerPackage, partFile);
      fs.writeFileSync(metaFile, JSON.stringify({ ...meta, stamp }) + '\n');
      console.log(`${name}\t${meta.pairs} pairs\t${meta.files} files\t${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      console.error(`${name}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  chunker.dispose();
}

// ---- The parent: split, then merge. ----

function runWorker(names: string[], args: string[]): Promise<void> {
  return new Promise(resolve => {
    const listFile = path.join(TRAIN_DIR, 'parts', `.worker-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(listFile, JSON.stringify(names));
    const child = execFile(process.execPath, [__filename, '--worker', listFile, ...args], { maxBuffer: 256 << 20 }, () => {
      fs.rmSync(listFile, { force: true });
      resolve();
    });
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
  });
}

async function main(argv: string[]): Promise<number> {
  let vocab = DEFAULT_VOCAB;
  let jobs = 2;
  let maxPerPackage = DEFAULT_MAX_PER_PACKAGE;
  let listFile = '';
  const wanted = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--vocab') vocab = path.resolve(argv[++i]);
    else if (a === '--jobs') jobs = Math.max(1, Number(argv[++i]) || 1);
    else if (a === '--max-per-package') maxPerPackage = Math.max(1, Number(argv[++i]) || 1);
    else if (a === '--worker') listFile = argv[++i];
    else wanted.add(a);
  }
  if (!fs.existsSync(vocab)) throw new Error(`no vocabulary at ${vocab}; pass --vocab FILE (a BERT vocab.txt).`);
  if (listFile) {
    await worker(JSON.parse(fs.readFileSync(listFile, 'utf8')) as string[], vocab, maxPerPackage);
    return 0;
  }

  const started = Date.now();
  const corpus = trainLayout().corpus;
  const packages: TrainPackage[] = [];
  for (const p of loadManifest()) {
    if (wanted.size && !wanted.has(p.name)) continue;
    const why = refusal(p);
    if (why) {
      console.error(why);
      continue;
    }
    if (!fs.existsSync(path.join(corpus, p.name, '.complete'))) {
      console.error(`${p.name}: not fetched (run node dist/trainFetch.js); skipped.`);
      continue;
    }
    packages.push(p);
  }
  fs.mkdirSync(path.join(TRAIN_DIR, 'parts'), { recursive: true });
  // Biggest first, dealt round-robin, so the workers finish together.
  const size = (p: TrainPackage) => {
    try {
      return fs.statSync(path.join(corpus, p.name)).size + folderBytes(path.join(corpus, p.name));
    } catch {
      return 0;
    }
  };
  const order = packages
    .map(p => ({ p, s: size(p) }))
    .sort((a, b) => b.s - a.s)
    .map(x => x.p.name);
  const shares: string[][] = Array.from({ length: Math.min(jobs, order.length) }, () => []);
  order.forEach((n, i) => shares[i % shares.length].push(n));
  const passArgs = ['--vocab', vocab, '--max-per-package', String(maxPerPackage)];
  await Promise.all(shares.map(s => runWorker(s, passArgs)));
  const extractSecs = (Date.now() - started) / 1000;

  // Merge in manifest order; code already taken from an earlier package is a vendored or published copy.
  const seenCode = new Set<string>();
  const out = fs.openSync(path.join(TRAIN_DIR, 'pairs.jsonl.tmp'), 'w');
  const perPackage: Record<string, number> = {};
  const perLanguage: Record<string, number> = {};
  const packagesPerLanguage: Record<string, number> = {};
  const zero: string[] = [];
  const failed: string[] = [];
  let total = 0,
    crossDuplicates = 0;
  for (const p of packages) {
    const partFile = path.join(TRAIN_DIR, 'parts', `${p.name}.jsonl`);
    if (!fs.existsSync(path.join(TRAIN_DIR, 'parts', `${p.name}.meta.json`)) || !fs.existsSync(partFile)) {
      failed.push(p.name);
      continue;
    }
    packagesPerLanguage[p.language] = (packagesPerLanguage[p.language] ?? 0) + 1;
    let n = 0;
    for (const line of fs.readFileSync(partFile, 'utf8').split('\n')) {
      if (!line) continue;
      const pair = JSON.parse(line) as Pair;
      const h = createHash('sha1').update(pair.code.replace(/\s+/g, ' ')).digest('base64');
      if (seenCode.has(h)) {
        crossDuplicates++;
        continue;
      }
      seenCode.add(h);
      fs.writeSync(out, line + '\n');
      n++;
      perLanguage[pair.lang] = (perLanguage[pair.lang] ?? 0) + 1;
    }
    perPackage[p.name] = n;
    total += n;
    if (n === 0) zero.push(p.name);
  }
  fs.closeSync(out);
  fs.renameSync(path.join(TRAIN_DIR, 'pairs.jsonl.tmp'), path.join(TRAIN_DIR, 'pairs.jsonl'));
  const secs = Math.round((Date.now() - started) / 1000);
  const stats = {
    pairs: total,
    packages: packages.length - failed.length,
    seconds: secs,
    extractSeconds: Math.round(extractSecs),
    maxPerPackage,
    crossPackageDuplicatesDropped: crossDuplicates,
    vocab: path.relative(process.cwd(), vocab),
    perLanguage,
    packagesPerLanguage,
    zeroPairPackages: zero,
    failedPackages: failed,
    perPackage,
  };
  fs.writeFileSync(path.join(TRAIN_DIR, 'pairs-stats.json'), JSON.stringify(stats, null, 1) + '\n');
  console.log(
    `trainExtract: ${total} pairs from ${packages.length - failed.length} packages (${zero.length} with none, ${failed.length} failed) in ${secs} s -> ${path.join(TRAIN_DIR, 'pairs.jsonl')}`,
  );
  console.log(`trainExtract: per language ${JSON.stringify(perLanguage)}`);
  return total > 0 ? 0 : 1;
}

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += folderBytes(p);
    else if (e.isFile()) n += fs.statSync(p).size;
  }
  return n;
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  e => {
    console.error(`trainExtract: ${(e as Error).message.split('\n')[0]}`);
    process.exit(1);
  },
);
