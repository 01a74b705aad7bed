// The bad-input workspace of badInput.test.ts: every kind of bad input beside good source, built in a temp
// folder at test time (nothing binary or huge is committed), with the outcome each path must end with.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../helpers/standin';

export const MB = 1024 * 1024;
export const POSIX = process.platform !== 'win32';

export function write(root: string, rel: string, content: string | Buffer): void {
  const abs = path.join(root, ...rel.split('/'));
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
}

export function link(root: string, rel: string, target: string): void {
  const abs = path.join(root, ...rel.split('/'));
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.symlinkSync(target, abs);
}

/** rm -rf: fs.rmSync gives up on a tree whose paths are longer than PATH_MAX; GNU rm walks it with openat. */
export function removeTree(dir: string): void {
  if (POSIX) execFileSync('rm', ['-rf', dir]);
  else fs.rmSync(dir, { recursive: true, force: true });
}

export const fixture = (name: string) => fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/chunker', name), 'utf8');

export const GOOD = ['src/inventory.py', 'src/server.go', 'src/TodoList.tsx'];
export const LATIN1_TEXT =
  '// Résumé of the café module: naïve façade over the crème brûlée oven.\n' +
  'export function preheatOven(celsius: number): string {\n  return `préchauffer à ${celsius} degrés`;\n}\n';
export const SPACED = 'src/with space/naïve café ünïcode 日本.py';
export const SPACED_TEXT = 'def grosse_ueberall(werte):\n    """Sums the sizes of every value."""\n    return sum(len(w) for w in werte)\n';
export const NFC = 'src/accents/caf\u00e9.py';
export const NFD = 'src/accents/cafe\u0301.py';
export const NEWLINE_NAME = 'src/odd/new\nline.py';
export const LONG_LINE_FILE = 'src/longline.ts';
const DEEP_LEVELS = 200;
export const DEEP_FILE = `${'deep/'.repeat(DEEP_LEVELS)}bottom.py`;
export const DEEP_TEXT =
  'def found_at_the_bottom_of_the_tree(depth):\n    """Two hundred folders down, still indexed."""\n    return depth * 2\n';
/** Folders of this name go past PATH_MAX (4096) a few levels down. */
const LONG_SEGMENT = 'l'.repeat(250);

function sourceLines(n: number, tag: string): string {
  return Array.from({ length: n }, (_, i) => `  const ${tag}${i} = compute(${i}, options); // step ${i}`).join('\n');
}

/** A normal file with one line of almost 1 MiB: the file stays under the 1 MiB cap, the line over 1,000 chars. */
function longLineFile(): string {
  const before = `export function parseHeaderBlock(text: string): Map<string, string> {\n${sourceLines(12, 'head')}\n  return new Map();\n}\n`;
  const after = `export function summarizeTrailerLines(lines: string[]): number {\n${sourceLines(12, 'tail')}\n  return lines.length;\n}\n`;
  const room = MB - 4096 - before.length - after.length;
  const text = `${before}export const blob = "${'QUJD'.repeat(Math.floor(room / 4))}";\n${after}`;
  assert.ok(Buffer.byteLength(text) < MB && Buffer.byteLength(text) > MB - 8192, `${Buffer.byteLength(text)} bytes`);
  return text;
}

/** Builds a minified bundle of about `bytes`: a license header and one very long line. */
function minified(bytes: number): string {
  let body = '';
  for (let i = 0; body.length < bytes; i++) body += `function f${i}(a,b){return a*${i}+b};var v${i}=f${i}(${i},1);`;
  return `/*! app bundle v1.0.0 | MIT */\n${body}\n`;
}

/**
 * Makes a chain of folders named LONG_SEGMENT that goes past PATH_MAX, with a file at the bottom, and returns
 * the relative path of the first entry whose absolute path is too long to open. mkdir with an absolute path
 * would fail (ENAMETOOLONG), so each level is made relative to the one above it.
 */
function makeTooDeep(root: string): string {
  const cwd = process.cwd();
  try {
    process.chdir(root);
    fs.mkdirSync('toodeep');
    process.chdir('toodeep');
    for (let i = 0; i < 18; i++) {
      fs.mkdirSync(LONG_SEGMENT);
      process.chdir(LONG_SEGMENT);
    }
    fs.writeFileSync('unreachable.py', 'def unreachable():\n    return 1\n');
  } finally {
    process.chdir(cwd);
  }
  const PATH_MAX = 4096; // Linux's, counting the terminating NUL
  const parts = ['toodeep'];
  do parts.push(LONG_SEGMENT);
  while (Buffer.byteLength(path.join(root, ...parts)) < PATH_MAX);
  return parts.join('/');
}

/** What each bad path must end as: status, reason and the exact detail (or a pattern for it). */
export type Expected = [path: string, status: string, reason: string, detail: string | RegExp | undefined];

/** Writes the workspace into `root` (its escaping links point into `outside`); returns what each bad path must end as. */
export function makeWorkspace(root: string, outside: string): Expected[] {
  for (const rel of GOOD) write(root, rel, fixture(path.basename(rel)));
  const expected: Expected[] = [];
  const add = (rel: string, content: string | Buffer, status: string, reason: string, detail: string | RegExp | undefined) => {
    write(root, rel, content);
    expected.push([rel, status, reason, detail]);
  };

  // Binary: by content (NUL bytes, mostly invalid UTF-8, UTF-16 with its NULs) and by file type.
  add(
    'src/table.gen',
    Buffer.from([0x53, 0x51, 0x4c, 0, 0, 1, 0xff, 0, 0x10, 0x20, 0, 0x7f]),
    'skipped',
    'binary',
    'Contains NUL bytes, so it looks like a binary file.',
  );
  add(
    'src/nul.ts',
    `export const a = 1;\n${'\0'}export const b = 2;\n`,
    'skipped',
    'binary',
    'Contains NUL bytes, so it looks like a binary file.',
  );
  const garbage = Buffer.alloc(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = i % 3 === 0 ? 0x41 : 0x80 + ((i * 37) % 0x40);
  add(
    'src/garbage.ts',
    garbage,
    'skipped',
    'binary',
    /^Not valid UTF-8 \(\d+% of characters could not be decoded\), so it looks like a binary file\.$/,
  );
  add(
    'src/utf16.ts',
    Buffer.from('\ufeffexport const wide = "utf-16";\n', 'utf16le'),
    'skipped',
    'binary',
    'Contains NUL bytes, so it looks like a binary file.',
  );
  add(
    'media/logo.png',
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    'skipped',
    'binary',
    'A binary file type (.png) with no searchable text.',
  );
  // Text that is not quite UTF-8: Latin-1 is decoded as such; one stray byte in UTF-8 keeps the UTF-8 reading.
  add('src/cafe.ts', Buffer.from(LATIN1_TEXT, 'latin1'), 'indexed', 'decoded-as-latin1', 'Not valid UTF-8; read as Latin-1.');
  add(
    'src/stray.ts',
    Buffer.concat([Buffer.from('export const ü = "'), Buffer.from([0xff]), Buffer.from('";\n')]),
    'indexed',
    '',
    undefined,
  );
  // Size: 40 MB is never read; a 5 MB bundle named like source is over the cap; a 900 KB one is read and minified.
  add(
    'data/huge.sql',
    Buffer.alloc(40 * MB, 'INSERT INTO items VALUES (1);\n'),
    'skipped',
    'too-large',
    'Over the 1 MB size cap (40 MB); raise maxFileSizeMB to index it.',
  );
  add('src/bundle.js', minified(5 * MB), 'skipped', 'too-large', /^Over the 1 MB size cap \(5\.0 MB\); raise maxFileSizeMB to index it\.$/);
  add(
    'src/vendor.js',
    minified(900 * 1024),
    'skipped',
    'minified',
    "Its lines are far longer than source code's (1 of 2 lines over 1000 characters), so it looks minified or generated.",
  );
  add(LONG_LINE_FILE, longLineFile(), 'indexed', 'long-lines-omitted', '1 line(s) over 1000 characters left out.');
  // Empty.
  add('src/empty.ts', '', 'skipped', 'empty', 'The file is empty.');
  add('src/blank.py', ' \n\t\r\n  \n', 'skipped', 'empty', 'The file holds only whitespace.');
  // Names: spaces and non-ASCII, the same accented name in NFC and NFD (two files on Linux), a newline.
  add(SPACED, SPACED_TEXT, 'indexed', '', undefined);
  add(NFC, 'def cafe_composed():\n    return "composed"\n', 'indexed', '', undefined);
  add(NFD, 'def cafe_decomposed():\n    return "decomposed"\n', 'indexed', '', undefined);
  if (POSIX) add(NEWLINE_NAME, 'def newline_in_name():\n    return "odd"\n', 'indexed', '', undefined);
  // .gitignore with negations, one of them for a file inside an ignored folder (git cannot re-include it).
  write(root, '.gitignore', '*.log\n!keep.log\nignored/\n!ignored/back.ts\n');
  expected.push(['.gitignore', 'indexed', '', undefined]);
  add('debug.log', 'GET /health 200 1ms\n', 'skipped', 'gitignored', 'Matched a .gitignore rule, so this file is not indexed.');
  add('keep.log', 'Release notes kept in the repository on purpose.\n', 'indexed', '', undefined);
  write(root, 'ignored/back.ts', 'export const back = 1;\n');
  expected.push(['ignored/', 'skipped', 'gitignored', 'Matched a .gitignore rule, so this folder is not indexed.']);
  write(root, 'sub/.gitignore', '!important.log\n');
  expected.push(['sub/.gitignore', 'indexed', '', undefined]);
  add('sub/important.log', 'A deeper .gitignore re-includes this log.\n', 'indexed', '', undefined);
  // Deep: 200 folders down is indexed; past PATH_MAX the entry is skipped with its reason, the walk goes on.
  add(DEEP_FILE, DEEP_TEXT, 'indexed', '', undefined);
  if (POSIX) {
    expected.push([
      makeTooDeep(root),
      'skipped',
      'unreadable',
      'The path is longer than the operating system can open (ENAMETOOLONG); shorten the folder names to index it.',
    ]);
  }
  // Links: a folder loop, a self loop, a two-link loop, a dangling link, links in and out of the folder.
  if (POSIX) {
    link(root, 'links/parent', '..');
    expected.push(['links/parent/', 'skipped', 'symlinked-folder', /^A symlink to a folder; /]);
    link(root, 'links/self.ts', 'self.ts');
    link(root, 'links/ping.ts', 'pong.ts');
    link(root, 'links/pong.ts', 'ping.ts');
    for (const p of ['links/self.ts', 'links/ping.ts', 'links/pong.ts']) {
      expected.push([p, 'skipped', 'dangling-link', 'A symlink that leads back to itself in a loop, so it has no target.']);
    }
    link(root, 'links/gone.ts', 'missing.ts');
    expected.push(['links/gone.ts', 'skipped', 'dangling-link', 'A symlink whose target does not exist.']);
    link(root, 'links/inventory-alias.py', '../src/inventory.py');
    expected.push(['links/inventory-alias.py', 'indexed', '', undefined]);
    const secret = path.join(outside, 'secret.ts');
    link(root, 'links/outside.ts', secret);
    link(root, 'links/outside-relative.ts', path.relative(path.join(root, 'links'), secret));
    for (const p of ['links/outside.ts', 'links/outside-relative.ts']) {
      expected.push([
        p,
        'skipped',
        'outside-folder',
        `A symlink to ${fs.realpathSync(secret)}, outside the indexed folder; files outside it are never read.`,
      ]);
    }
    execFileSync('mkfifo', [path.join(root, 'src', 'pipe.ts')]);
    expected.push(['src/pipe.ts', 'skipped', 'special-file', 'A socket, pipe or device rather than a regular file.']);
  }
  return expected;
}

/** The text of `outside/secret.ts`, which the links to outside the folder must never bring into the index. */
export const SECRET_TEXT = 'export function leakTheOutsideSecret(): string {\n  return "the outside file must never be indexed";\n}\n';
