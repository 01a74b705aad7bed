// The workspace the e2e suite and the packaged-extension test open, generated fresh into a temp dir for
// each run: real source files (test/fixtures/chunker, eight languages) in src/, build folders the scanner
// must skip (node_modules/, dist/), a minified bundle in src/ that only its content gives away, and a
// README. The suite imports the constants below, so what it expects and what is written stay in one place.

import * as fs from 'node:fs';
import * as path from 'node:path';

export const SOURCE_FILES = [
  'Library.java',
  'OrderService.cs',
  'TodoList.tsx',
  'inventory.py',
  'matrix.cpp',
  'ringbuf.c',
  'server.go',
  'shapes.rs',
];

/** A minified bundle named like source: one 60 KB line, so the scanner's content rule must catch it. */
export const MINIFIED_FILE = 'src/vendor-bundle.js';
export const EXCLUDED_FOLDERS = ['node_modules', 'dist'];

/** Lines cut from the middle of Inventory.remove in src/inventory.py: the search must rank that file first. */
export const KNOWN_EXCERPT = {
  file: 'src/inventory.py',
  query: [
    '        item = self.items[sku]',
    '        if item.quantity < count:',
    '            raise ValueError(f"only {item.quantity} of {sku} left")',
    '        item.quantity -= count',
  ].join('\n'),
  /** 0-based lines of `def remove` .. `return item`, which the top result's range must overlap. */
  lines: [32, 37] as const,
};

/** A function the edit test appends to a file after the first index: only the re-indexed file can match. */
export const EDIT = {
  file: 'src/server.go',
  text: [
    '',
    '// levenshteinDistance counts the single-character edits that turn a into b.',
    'func levenshteinDistance(a, b string) int {',
    '\tprev := make([]int, len(b)+1)',
    '\tfor j := range prev {',
    '\t\tprev[j] = j',
    '\t}',
    '\tfor i := 1; i <= len(a); i++ {',
    '\t\tcur := make([]int, len(b)+1)',
    '\t\tcur[0] = i',
    '\t\tfor j := 1; j <= len(b); j++ {',
    '\t\t\tcost := 1',
    '\t\t\tif a[i-1] == b[j-1] {',
    '\t\t\t\tcost = 0',
    '\t\t\t}',
    '\t\t\tcur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)',
    '\t\t}',
    '\t\tprev = cur',
    '\t}',
    '\treturn prev[len(b)]',
    '}',
    '',
  ].join('\n'),
  query: [
    '\t\t\tcost := 1',
    '\t\t\tif a[i-1] == b[j-1] {',
    '\t\t\t\tcost = 0',
    '\t\t\t}',
    '\t\t\tcur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)',
  ].join('\n'),
  symbol: 'levenshteinDistance',
};

function minifiedBundle(): string {
  const parts: string[] = ['/*! vendor-bundle v1.0.0 | MIT */'];
  let line = '';
  for (let i = 0; line.length < 60_000; i++) {
    line += `var a${i}=function(b,c){return b.map(function(d){return d*${i}+c})},e${i}=a${i}([${i},${i + 1}],${i % 7});`;
  }
  parts.push(line);
  return parts.join('\n') + '\n';
}

/** Writes the fixture workspace into `dir` (created if needed) and returns it. */
export function createFixtureWorkspace(dir: string, fixturesDir: string): string {
  const write = (rel: string, text: string) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  for (const name of SOURCE_FILES) write(`src/${name}`, fs.readFileSync(path.join(fixturesDir, name), 'utf8'));
  write(MINIFIED_FILE, minifiedBundle());
  // Build folders: real-looking content that would match queries if it were (wrongly) indexed.
  write('node_modules/left-pad/package.json', JSON.stringify({ name: 'left-pad', version: '1.3.0', main: 'index.js' }, null, 2) + '\n');
  write(
    'node_modules/left-pad/index.js',
    'module.exports = function leftPad(str, len, ch) {\n  str = String(str);\n  ch = ch || " ";\n  while (str.length < len) str = ch + str;\n  return str;\n};\n',
  );
  write(
    'dist/inventory.js',
    '// compiled from src/inventory.py (for the test)\nexport function removeItem(items, sku, count) {\n  const item = items[sku];\n  if (item.quantity < count) throw new Error(`only ${item.quantity} of ${sku} left`);\n  item.quantity -= count;\n  return item;\n}\n',
  );
  write(
    'README.md',
    "# Fixture workspace\n\nSmall sources in several languages, a vendored bundle and build folders, for the extension's end-to-end tests.\n",
  );
  return dir;
}
