// The automated query set, in the manner of CodeSearchNet: in held-out packages (auto-packages.json), functions
// and methods that carry a docstring (Python) or a JSDoc block (JS/TS); the doc's first sentence is the query,
// the function (file + line range) is the answer. Each package gets a derived copy, .bench/quality/auto/<name>/,
// in which the SAMPLED functions' docs are blanked out with their line numbers kept, so a search cannot win by
// matching the query's own words next to the answer. Unsampled functions keep their docs, as real code does.
// Parsing is web-tree-sitter with the product's grammars (chunker/grammars.ts), loaded the way the chunker loads them.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';
import { initParserRuntime, loadGrammar, newParser } from '../../server/src/engine/chunker/grammars';
import { grammarForPath } from '../../server/src/engine/chunker/languages';
import { lastRow, type SyntaxNode } from '../../server/src/engine/chunker/syntax';
import { isDefaultExcludedFolder } from '../../server/src/engine/scanner/defaultExcludes';
import { nameForms, refuseReserved, refuseReservedFolders } from '../reserved';
import { loadProjects, type Project } from './projectData';
import { corpusDir, prepareProject } from './qualityCorpus';

/** Bump when extraction, filtering or sampling changes: every derived folder is rebuilt when it differs. */
const AUTO_SET_VERSION = 1;
const SEED = 'semsearch-auto-set';
const MAX_PER_PACKAGE = 60;
/** Spreads the set over the package instead of letting one big, well-documented file dominate it. */
const MAX_PER_FILE = 5;
const MIN_WORDS = 4;
const MAX_WORDS = 30;

export const AUTO_PACKAGES_FILE = path.join(__dirname, '..', 'bench', 'quality', 'auto-packages.json');

/** One held-out package: a project without queries (projectData's format). */
export type AutoPackage = Omit<Project, 'queries'>;

export interface AutoQuery {
  id: string;
  project: string;
  query: string;
  /** The function's file, relative to the derived folder (one entry, like the hand-written set's `relevant`). */
  relevant: string[];
  /** 1-based first and last line of the function (decorators included) in the derived file. */
  lines: [number, number];
}

export interface AutoProject {
  name: string;
  language: string;
  dir: string;
  /** Code files parsed (JS/TS/Python outside the indexer's default-excluded folders). */
  files: number;
  /** Functions and methods with a docstring or JSDoc block. */
  documented: number;
  /** Of those, the ones whose first sentence makes a query (and is not any other function's). */
  usable: number;
  /** Drawn by the sampler but dropped: the sentence is written elsewhere in the package too (a README, a copy). */
  restated: number;
}

export interface AutoSet {
  projects: AutoProject[];
  queries: AutoQuery[];
}

/** A documented function as found in the original file. */
export interface DocFunction {
  /** 1-based, inclusive; the definition with its decorators, not its doc. */
  lines: [number, number];
  /** 0-based rows the doc occupies, blanked in the derived file. */
  docRows: [number, number];
  /** Python: the docstring was the body's only statement, so its first row becomes `pass`. */
  needsPass: boolean;
  /** The doc's first sentence, cleaned, or null when it makes no query. */
  query: string | null;
  /** The doc as written (comment or string literal). */
  docText: string;
}

export function loadAutoPackages(file = AUTO_PACKAGES_FILE): AutoPackage[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { packages: AutoPackage[] }).packages;
}

export async function buildAutoSet(benchDir: string, packages = loadAutoPackages()): Promise<AutoSet> {
  refuseHeldIn(packages);
  const root = path.join(benchDir, 'quality', 'auto');
  fs.mkdirSync(root, { recursive: true });
  const set: AutoSet = { projects: [], queries: [] };
  for (const pkg of packages) {
    const built = await buildPackage(benchDir, root, pkg);
    set.projects.push(built.project);
    set.queries.push(...built.queries);
  }
  fs.writeFileSync(path.join(root, 'queries.json'), JSON.stringify({ version: AUTO_SET_VERSION, seed: SEED, ...set }, null, 1) + '\n');
  return set;
}

/** Held out means: not reserved (checked again by prepareProject, and on every folder), and disjoint from the
 *  hand-written set, so no project is judged twice. Checked for all packages before anything is fetched. */
function refuseHeldIn(packages: AutoPackage[]): void {
  const taken = new Set(loadProjects().flatMap(p => [...nameForms(p.name), ...nameForms(p.source.package)]));
  for (const pkg of packages) {
    refuseReserved(pkg.name);
    refuseReserved(pkg.source.package, 'package');
    const hit = [...nameForms(pkg.name), ...nameForms(pkg.source.package)].find(f => taken.has(f));
    if (hit) throw new Error(`auto-packages.json: "${pkg.name}" is also a hand-written project (${hit}); choose another package.`);
  }
}

interface PackageRecord {
  stamp: string;
  fetched: Fetched;
  project: AutoProject;
  queries: AutoQuery[];
}
type Fetched = Pick<AutoPackage, 'source' | 'exclude'>;

async function buildPackage(benchDir: string, root: string, pkg: AutoPackage): Promise<{ project: AutoProject; queries: AutoQuery[] }> {
  const dir = path.join(root, pkg.name);
  const recordFile = path.join(root, `${pkg.name}.json`);
  const stamp = createHash('sha256')
    .update(JSON.stringify({ AUTO_SET_VERSION, SEED, MAX_PER_PACKAGE, MAX_PER_FILE, MIN_WORDS, MAX_WORDS, pkg }))
    .digest('hex')
    .slice(0, 16);
  const previous = fs.existsSync(recordFile) ? (JSON.parse(fs.readFileSync(recordFile, 'utf8')) as PackageRecord) : undefined;
  const marker = path.join(dir, '.complete');
  if (previous?.stamp === stamp && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp) {
    return { project: { ...previous.project, dir }, queries: previous.queries };
  }
  // prepareProject keeps a corpus folder once unpacked; a changed pin or exclude list (or no record of what
  // was unpacked) must unpack again.
  const fetched: Fetched = { source: pkg.source, exclude: pkg.exclude };
  if (JSON.stringify(previous?.fetched) !== JSON.stringify(fetched))
    fs.rmSync(corpusDir(benchDir, pkg.name), { recursive: true, force: true });
  const corpus = prepareProject(benchDir, { ...pkg, queries: [] });

  const files = codeFiles(corpus);
  const found = new Map<string, DocFunction[]>();
  const parser = await makeParser();
  try {
    for (const rel of files) found.set(rel, await documentedFunctions(parser, rel, fs.readFileSync(path.join(corpus, rel), 'utf8')));
  } finally {
    parser.delete();
  }
  const candidates = [...found].flatMap(([file, fns]) => fns.map(fn => ({ file, fn })));
  const usable = uniqueQueries(candidates.filter(c => c.fn.query !== null));
  const text = new PackageText(corpus);
  const { picked: sampled, restated } = sample(usable, pkg.name, c => text.restates(c.fn));

  fs.rmSync(dir, { recursive: true, force: true });
  // Links are left behind: not code, and a package's absolute links point outside the corpus.
  fs.cpSync(corpus, dir, { recursive: true, filter: src => path.basename(src) !== '.complete' && !fs.lstatSync(src).isSymbolicLink() });
  await writeDerived(dir, sampled);
  refuseReservedFolders(dir);

  const queries: AutoQuery[] = sampled.map((c, i) => ({
    id: `auto-${pkg.name}-${String(i + 1).padStart(3, '0')}`,
    project: pkg.name,
    query: c.fn.query!,
    relevant: [c.file],
    lines: c.fn.lines,
  }));
  const project: AutoProject = {
    name: pkg.name,
    language: pkg.language,
    dir,
    files: files.length,
    documented: candidates.length,
    usable: usable.length,
    restated,
  };
  fs.writeFileSync(recordFile, JSON.stringify({ stamp, fetched, project, queries } satisfies PackageRecord, null, 1) + '\n');
  fs.writeFileSync(marker, stamp);
  return { project, queries };
}

/** JS/TS/Python files, '/'-separated and sorted (sampling must not depend on directory order), outside the
 *  folders the indexer never descends (dist/, build/...), since a query must be answerable from the index. */
function codeFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  const entries = fs
    .readdirSync(path.join(root, rel), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!isDefaultExcludedFolder(child)) out.push(...codeFiles(root, child));
    } else if (e.isFile() && PARSED_GRAMMARS.has(grammarForPath(child) ?? '')) {
      out.push(child);
    }
  }
  return out;
}

const PARSED_GRAMMARS = new Set(['python', 'javascript', 'typescript', 'tsx']);

async function makeParser(): Promise<Parser> {
  await initParserRuntime();
  return newParser();
}

async function parseWith(parser: Parser, grammar: string, text: string): Promise<Tree> {
  const language = await loadGrammar(grammar);
  if (!language) throw new Error(`tree-sitter-${grammar}.wasm did not load; is @repomix/tree-sitter-wasms installed?`);
  parser.setLanguage(language);
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter could not parse with ${grammar}.`);
  return tree;
}

/** The file's documented functions; a file that does not parse cleanly gives none (its rows could be wrong). */
export async function documentedFunctions(parser: Parser, relPath: string, text: string): Promise<DocFunction[]> {
  const grammar = grammarForPath(relPath, text);
  if (!grammar || !PARSED_GRAMMARS.has(grammar)) return [];
  const tree = await parseWith(parser, grammar, text);
  try {
    if (tree.rootNode.hasError) return [];
    return grammar === 'python' ? pythonDocs(tree.rootNode) : jsDocs(tree.rootNode);
  } finally {
    tree.delete();
  }
}

// ---- Python: the body's first statement, when it is a string literal. ----

function pythonDocs(root: SyntaxNode): DocFunction[] {
  const out: DocFunction[] = [];
  for (const fn of root.descendantsOfType('function_definition')) {
    const body = fn.childForFieldName('body');
    const statements = body?.namedChildren.filter(c => c.type !== 'comment') ?? [];
    const [first, next] = statements;
    const literal = first?.type === 'expression_statement' && first.namedChildCount === 1 ? first.firstNamedChild : null;
    if (!body || !first || literal?.type !== 'string') continue;
    const doc = /^[rRuU]?("""|'''|"|')([\s\S]*)\1$/.exec(literal.text); // b'' and f'' are not docstrings
    // The doc must own its rows: not on the `def ...:` row, and nothing after it on its last row.
    const colon = body.previousSibling;
    if (!doc || !colon || colon.endPosition.row >= first.startPosition.row || (next && next.startPosition.row <= lastRow(first))) continue;
    const whole = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
    out.push({
      lines: [whole.startPosition.row + 1, lastRow(whole) + 1],
      docRows: [first.startPosition.row, lastRow(first)],
      needsPass: !next,
      query: queryFrom(doc[2]),
      docText: literal.text,
    });
  }
  return out;
}

// ---- JS/TS: a `/** ... */` comment right above a function-like declaration. ----

const FUNCTION_VALUES = new Set(['arrow_function', 'function', 'function_expression', 'generator_function']);

function isFunctionValue(v: SyntaxNode | null): boolean {
  if (!v) return false;
  if (FUNCTION_VALUES.has(v.type)) return true;
  // A function handed to a wrapper, as in ramda's `var adjust = _curry3(function adjust(...) {...})`.
  return v.type === 'call_expression' && (v.childForFieldName('arguments')?.namedChildren.some(a => FUNCTION_VALUES.has(a.type)) ?? false);
}

function isFunctionLike(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'function_declaration':
    case 'generator_function_declaration':
    case 'method_definition':
      return true;
    case 'export_statement': {
      const inner = node.childForFieldName('declaration');
      return inner ? isFunctionLike(inner) : isFunctionValue(node.childForFieldName('value'));
    }
    case 'lexical_declaration':
    case 'variable_declaration': {
      const declarators = node.namedChildren.filter(c => c.type === 'variable_declarator');
      return declarators.length === 1 && isFunctionValue(declarators[0].childForFieldName('value'));
    }
    case 'expression_statement': {
      // `Foo.prototype.bar = function () {...}`, `exports.x = (...) => ...`
      const e = node.firstNamedChild;
      return e?.type === 'assignment_expression' && isFunctionValue(e.childForFieldName('right'));
    }
    case 'pair':
    case 'public_field_definition':
    case 'field_definition':
      return isFunctionValue(node.childForFieldName('value'));
    default:
      return false; // signatures and overloads (no body), classes, plain values
  }
}

function jsDocs(root: SyntaxNode): DocFunction[] {
  const out: DocFunction[] = [];
  for (const comment of root.descendantsOfType('comment')) {
    if (!comment.text.startsWith('/**') || comment.text.startsWith('/**/')) continue;
    const before = comment.previousSibling;
    if (before && before.endPosition.row >= comment.startPosition.row) continue; // code before it on its row
    const first = comment.nextNamedSibling; // a decorator, or the declaration itself
    let decl = first;
    while (decl?.type === 'decorator') decl = decl.nextNamedSibling;
    if (!first || !decl || first.startPosition.row <= lastRow(comment) || !isFunctionLike(decl)) continue;
    out.push({
      lines: [first.startPosition.row + 1, lastRow(decl) + 1],
      docRows: [comment.startPosition.row, lastRow(comment)],
      needsPass: false,
      query: queryFrom(jsdocDescription(comment.text)),
      docText: comment.text,
    });
  }
  return out;
}

/** The JSDoc text before its first block tag, or an explicit @description / @summary. */
function jsdocDescription(comment: string): string {
  const lines = comment
    .replace(/^\/\*\*+/, '')
    .replace(/\*+\/$/, '')
    .split('\n')
    .map(l => l.replace(/^\s*\*? ?/, ''));
  const firstTag = lines.findIndex(l => l.trimStart().startsWith('@'));
  const lead = (firstTag < 0 ? lines : lines.slice(0, firstTag)).join('\n');
  if (lead.trim()) return lead;
  const tagged = /(?:^|\n)\s*@(?:description|desc|summary)\b([\s\S]*?)(?=\n\s*@|$)/.exec(lines.join('\n'));
  return tagged?.[1] ?? '';
}

// ---- From doc text to a query. ----

/** Lines that open a section, not prose: reST fields (not roles: `:class:`x`` is inline), doctests, directives,
 *  underlines, Google/numpy headings. */
const SECTION_START =
  /^(:[\w .]+:(\s|$)|@\w|>>>|\.\. |[-=~^]{3,}|(Args|Arguments|Parameters|Params|Returns?|Yields?|Raises|Throws|Examples?|Notes?|Usage|See also|Warning)\s*:?$)/i;
const ABBREVIATION = /(\b(e\.g|i\.e|vs|cf|approx|resp|incl|esp|viz|al|Mr|Dr|St)|\.\.)$/i;
const BOILERPLATE =
  /^(todo|fixme|xxx|hack|deprecated|constructor|internal|private|helper|alias|see|same as|overrides?|inherit\w*|implementation of|copied from)\b|\b(deprecated|copyright|licen[cs]e[ds]?|@module)\b/i;
const SIGNATURE = /^[\w.$]+\(.*\)(\s*(->|=>|:).*)?$/;

export function queryFrom(doc: string): string | null {
  const paragraph: string[] = [];
  let list = false;
  for (const raw of doc.split('\n')) {
    const line = raw.trim();
    if (!line) {
      if (paragraph.length) break;
      continue;
    }
    if (SECTION_START.test(line)) break;
    // A list item ends the paragraph; the words before it only introduce the list.
    if (paragraph.length && /^([-*+]|\d+[.)])\s/.test(line)) {
      list = true;
      break;
    }
    paragraph.push(line);
  }
  const text = stripMarkup(paragraph.join(' '));
  const first = firstSentence(text);
  // Words that only introduce a list ("... returns a function which:") say too little on their own.
  if ((list && first === text && !/[.!?]$/.test(first)) || first.endsWith(':')) return null;
  const sentence = first.replace(/[.:;,]+$/, '').trim();
  const words = sentence.split(' ').filter(w => /\w/.test(w)).length;
  if (words < MIN_WORDS || words > MAX_WORDS) return null;
  if (BOILERPLATE.test(sentence) || SIGNATURE.test(sentence) || /^\W|https?:\/\//.test(sentence)) return null;
  return sentence;
}

/** reST roles and literals, JSDoc inline tags, markdown links and emphasis, inline HTML: their text only. */
export function stripMarkup(s: string): string {
  return s
    .replace(
      /\{@(?:link|linkcode|linkplain|code)\s+([^}|\s]+)(?:[|\s]+([^}]*))?\}/g,
      (_, target: string, text?: string) => text?.trim() || target,
    )
    .replace(/(?::[\w-]+)+:`([^`]*)`/g, (_, t: string) => roleText(t))
    .replace(/``([^`]+)``/g, '$1')
    .replace(/`([^`]+)`_{0,2}/g, '$1')
    .replace(/\[\[([^\]]+)\]\]/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<\/?(code|tt|b|i|em|strong|p|br|a|pre|var|kbd|sub|sup|span)\b[^>]*>/gi, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?=[^\w*]|$)/g, '$1$2')
    .replace(/(^|\s)_([^_\s][^_]*)_(?=[\s.,;:]|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `:func:`~pkg.mod.name`` shows "name"; `:class:`Title <target>`` shows "Title". */
function roleText(t: string): string {
  const titled = /^(.*?)\s*<[^>]*>$/.exec(t);
  if (titled?.[1]) return titled[1];
  return t.startsWith('~') ? t.slice(1).split('.').pop()! : t;
}

export function firstSentence(p: string): string {
  const end = /[.!?](?=\s|$)/g;
  for (let m; (m = end.exec(p));) {
    const before = p.slice(0, m.index);
    // "etc." ends a sentence only when a capital follows: "1st, 2nd, etc. If the last character ...".
    if (ABBREVIATION.test(before) || (/\betc$/i.test(before) && !/^\.\s+[A-Z]/.test(p.slice(m.index)))) continue;
    return p.slice(0, m.index + 1);
  }
  return p;
}

// ---- Sampling and the derived folder. ----

interface Candidate {
  file: string;
  fn: DocFunction;
}

/** A first sentence shared by two functions (overloads, copied docs) names neither; drop them all. */
function uniqueQueries(cs: Candidate[]): Candidate[] {
  const key = (c: Candidate) => c.fn.query!.toLowerCase();
  const counts = new Map<string, number>();
  for (const c of cs) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
  return cs.filter(c => counts.get(key(c)) === 1);
}

/** Candidates in the order of a seeded hash of (package, file, sentence): the same set on every machine, and
 *  a candidate gained or lost upstream moves no other. At most MAX_PER_FILE per file, skipping sentences the
 *  package states elsewhere; returned in file order. */
function sample(cs: Candidate[], name: string, restated: (c: Candidate) => boolean): { picked: Candidate[]; restated: number } {
  const rank = new Map(cs.map(c => [c, createHash('sha256').update(`${SEED}\0${name}\0${c.file}\0${c.fn.query}`).digest('hex')]));
  const order = [...cs].sort((a, b) => (rank.get(a)! < rank.get(b)! ? -1 : 1));
  const perFile = new Map<string, number>();
  const picked: Candidate[] = [];
  let dropped = 0;
  for (const c of order) {
    if (picked.length >= MAX_PER_PACKAGE) break;
    const n = perFile.get(c.file) ?? 0;
    if (n >= MAX_PER_FILE) continue;
    if (restated(c)) {
      dropped++;
      continue;
    }
    perFile.set(c.file, n + 1);
    picked.push(c);
  }
  picked.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.fn.lines[0] - b.fn.lines[0]));
  return { picked, restated: dropped };
}

/** All of a package's text files (what the indexer would read), folded the way queries are: comment markers
 *  at line starts dropped, markup stripped, lower case. A query found there more often than in its own doc
 *  is restated somewhere else (a README, a .d.ts, a copied doc) and would not stay hidden once its doc is gone. */
class PackageText {
  private text?: string;
  constructor(private readonly root: string) {}

  restates(fn: DocFunction): boolean {
    this.text ??= allTextFiles(this.root)
      .map(f => fold(fs.readFileSync(f, 'utf8')))
      .join('\0');
    const q = fn.query!.toLowerCase();
    return occurrences(this.text, q) > occurrences(fold(fn.docText), q);
  }
}

function fold(s: string): string {
  return stripMarkup(s.replace(/\s*\n\s*(?:\*(?!\/)\s*|#+\s*|\/\/+\s*)?/g, ' ')).toLowerCase();
}

function occurrences(text: string, q: string): number {
  let n = 0;
  for (let i = text.indexOf(q); i >= 0; i = text.indexOf(q, i + q.length)) n++;
  return n;
}

/** Files outside default-excluded folders that look like text: under 2 MB, no NUL byte in their first 8 KB. */
function allTextFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    const file = path.join(root, child);
    if (e.isDirectory()) {
      if (!isDefaultExcludedFolder(child)) out.push(...allTextFiles(root, child));
    } else if (e.isFile() && e.name !== '.complete' && fs.statSync(file).size < 2 * 1024 * 1024) {
      const head = fs.readFileSync(file).subarray(0, 8192);
      if (!head.includes(0)) out.push(file);
    }
  }
  return out;
}

/** Blanks each sampled doc's rows in the copy (Python keeps a `pass` where the doc was the whole body), then
 *  re-parses the file: a rewrite that breaks the syntax is a bug here, not data. Line counts never change. */
async function writeDerived(dir: string, sampled: Candidate[]): Promise<void> {
  const byFile = new Map<string, DocFunction[]>();
  for (const c of sampled) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c.fn]);
  const parser = await makeParser();
  try {
    for (const [rel, fns] of byFile) {
      const file = path.join(dir, rel);
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      for (const fn of fns) {
        const [first, last] = fn.docRows;
        const indent = /^[ \t]*/.exec(lines[first])![0];
        for (let row = first; row <= last; row++) lines[row] = lines[row].endsWith('\r') ? '\r' : '';
        if (fn.needsPass) lines[first] = `${indent}pass${lines[first]}`;
      }
      const text = lines.join('\n');
      fs.writeFileSync(file, text);
      const tree = await parseWith(parser, grammarForPath(rel, text)!, text);
      const broken = tree.rootNode.hasError;
      tree.delete();
      if (broken) throw new Error(`${file}: removing the docs broke its syntax.`);
    }
  } finally {
    parser.delete();
  }
}
