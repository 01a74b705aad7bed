// Throw-away workspaces for the LSP tests: real source files (the chunker's fixtures and files from
// node_modules), folders that are never indexed (node_modules/, dist/) and a minified file by content.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SOURCE_FILES as CHUNKER_FIXTURES } from '../e2e/fixtureWorkspace';
import { PROJECT_ROOT } from '../helpers/standin';

/** Real JavaScript from node_modules: with these the first run takes a few seconds, long enough to pause it. */
const JSONRPC_FILES = [
  'cancellation.js',
  'connection.js',
  'events.js',
  'linkedMap.js',
  'messageBuffer.js',
  'messageReader.js',
  'messageWriter.js',
  'messages.js',
  'semaphore.js',
];

export function readProjectFile(rel: string): string {
  return fs.readFileSync(path.join(PROJECT_ROOT, rel), 'utf8');
}

export function writeFile(root: string, rel: string, content: string): string {
  const abs = path.join(root, ...rel.split('/'));
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return abs;
}

export function uriOf(root: string, rel = ''): string {
  const base = pathToFileURL(root).href;
  return rel ? `${base}/${rel.split('/').map(encodeURIComponent).join('/')}` : base;
}

export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** The main folder; `large` adds real library code so the first run lasts a few seconds. */
export function makeWorkspace(root: string, large: boolean): void {
  for (const name of CHUNKER_FIXTURES) writeFile(root, `src/${name}`, readProjectFile(`test/fixtures/chunker/${name}`));
  writeFile(root, 'src/ms.js', readProjectFile('node_modules/ms/index.js'));
  if (large) {
    writeFile(root, 'src/lru-cache.js', readProjectFile('node_modules/lru-cache/dist/commonjs/index.js'));
    for (const name of JSONRPC_FILES)
      writeFile(root, `lib/jsonrpc/${name}`, readProjectFile(`node_modules/vscode-jsonrpc/lib/common/${name}`));
  }
  // Never indexed: dependency and build folders, and a minified bundle under an ordinary name.
  writeFile(root, 'node_modules/left-pad/index.js', 'module.exports = function leftPad(s, n) { return String(s).padStart(n); };\n');
  writeFile(root, 'dist/app.js', 'console.log("built");\n');
  const minified = readProjectFile('node_modules/lru-cache/dist/commonjs/index.min.js');
  assert.ok(
    minified.split('\n').some(l => l.length > 1000),
    'the minified fixture has long lines',
  );
  writeFile(root, 'src/vendor.js', minified);
}

/** A second workspace folder, for multi-root. */
export function makeSecondFolder(root: string): void {
  writeFile(
    root,
    'tools/release.py',
    [
      'def bump_version(version: str, part: str) -> str:',
      '    """Raises one part of a semantic version and resets the parts after it."""',
      '    major, minor, patch = (int(p) for p in version.split("."))',
      '    if part == "major":',
      '        return f"{major + 1}.0.0"',
      '    if part == "minor":',
      '        return f"{major}.{minor + 1}.0"',
      '    return f"{major}.{minor}.{patch + 1}"',
      '',
    ].join('\n'),
  );
}

export { linesInside } from '../helpers/excerpts';
