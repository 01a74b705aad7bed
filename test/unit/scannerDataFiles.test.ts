// The data-file rule (server/src/engine/scanner/dataFiles.ts): lock files, text images and data are skipped as
// 'data-file' with the rule in the detail, by name before the read and by content after it; small configuration
// JSON stays indexed; indexDataFiles turns the rule off. Real files where there are some: this project's own
// package.json, package-lock.json, tsconfig.json and icon, and packages under node_modules.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSourceFile, type ReadOptions, type ReadResult } from '../../server/src/engine/scanner/contentCheck';
import { dataFileDetail } from '../../server/src/engine/scanner/dataFiles';
import type { WalkEvent } from '../../server/src/engine/scanner/walker';
import { PROJECT_ROOT } from '../helpers/standin';
import { collect, makeTree, outcomes, pathOf, removeTrees, writeFile } from './scannerFixture';

const KB = 1024;
const MB = 1024 * KB;
const OFF: ReadOptions = { maxFileBytes: MB, maxLineChars: 1000, indexDataFiles: false };
const ON: ReadOptions = { ...OFF, indexDataFiles: true };

/** A real SVG of 1,829 lines: a font shipped with jsdoc. */
const FONT_SVG = 'protobufjs/cli/node_modules/jsdoc/templates/default/static/fonts/OpenSans-Bold-webfont.svg';

const projectFile = (rel: string) => fs.readFileSync(path.join(PROJECT_ROOT, rel));

/** A file under node_modules: every one is in package-lock.json, so `npm ci` puts it there (a missing one
 *  fails the test rather than skipping it, so the rule is never left untested). */
function realFile(rel: string): Buffer {
  const abs = path.join(PROJECT_ROOT, 'node_modules', rel);
  assert.ok(fs.existsSync(abs), `${abs} is missing: run npm ci`);
  return fs.readFileSync(abs);
}

function detailOf(events: WalkEvent[], rel: string): string | undefined {
  const e = events.find(ev => pathOf(ev) === rel);
  return e?.kind === 'skip' ? e.report.detail : undefined;
}

/** Walks a tree holding `files` (with the setting as given) and reads each candidate as the indexer would. */
async function scan(files: Record<string, string | Buffer>, opts: ReadOptions = OFF): Promise<Map<string, ReadResult | WalkEvent>> {
  const root = makeTree(files);
  const out = new Map<string, ReadResult | WalkEvent>();
  for (const e of await collect(root, { maxFileBytes: opts.maxFileBytes, indexDataFiles: opts.indexDataFiles })) {
    out.set(pathOf(e), e.kind === 'file' ? await readSourceFile(e.file, opts) : e);
  }
  return out;
}

/** 'indexed', or the skip reason and detail, of one path of scan()'s result. */
function verdict(result: ReadResult | WalkEvent | undefined): { reason: string; detail?: string } {
  assert.ok(result, 'path not seen');
  if ('ok' in result) return result.ok ? { reason: 'indexed' } : { reason: result.reason, detail: result.detail };
  assert.ok(result.kind === 'skip');
  return { reason: result.report.reason, detail: result.report.detail };
}

/** True when scan() skipped the path in the walk, by name and stat, without reading it. */
const unread = (result: ReadResult | WalkEvent | undefined) => result !== undefined && !('ok' in result) && result.kind === 'skip';

const dataFile = (kind: string) => ({ reason: 'data-file', detail: dataFileDetail(kind) });

describe('scanner data-file rule', () => {
  after(removeTrees);

  it('names the rule and the setting in the detail', () => {
    assert.equal(
      dataFileDetail('lock file'),
      'Data rather than code (lock file), so it is not indexed; turn on indexDataFiles to index such files.',
    );
  });

  describe('by name, before the read', () => {
    it('skips lock files by exact name and by their endings, and only those', async () => {
      const locks = [
        'package-lock.json',
        'npm-shrinkwrap.json',
        'yarn.lock',
        'pnpm-lock.yaml',
        'bun.lock',
        'bun.lockb',
        'deno.lock',
        'Cargo.lock',
        'poetry.lock',
        'Pipfile.lock',
        'uv.lock',
        'pdm.lock',
        'composer.lock',
        'Gemfile.lock',
        'Podfile.lock',
        'go.sum',
        'go.work.sum',
        'flake.lock',
        'pubspec.lock',
        'mix.lock',
        'Package.resolved',
        'packages.lock.json',
        'gradle.lockfile',
        '.terraform.lock.hcl',
        'deno-lock.json',
        '.package-lock.json',
        'custom.lock',
      ];
      const kept = ['package.json', 'Cargo.toml', 'go.mod', 'pyproject.toml', 'Gemfile', 'lock.ts', 'lockfile.py', 'unlock.go'];
      const root = makeTree(Object.fromEntries([...locks, ...kept].map(n => [n, 'x'])));
      const events = await collect(root);
      const got = outcomes(events);
      for (const n of locks) {
        assert.equal(got.get(n), 'data-file', n);
        assert.equal(detailOf(events, n), dataFileDetail('lock file'), n);
      }
      for (const n of kept) assert.equal(got.get(n), 'file', n);
    });

    it("skips real lock files: this project's package-lock.json, a yarn.lock and a flake.lock from node_modules", async function () {
      const yarnLock = realFile('combined-stream/yarn.lock');
      const flakeLock = realFile('protobufjs/cli/node_modules/lodash/flake.lock');
      const got = await scan({ 'package-lock.json': projectFile('package-lock.json'), 'yarn.lock': yarnLock, 'flake.lock': flakeLock });
      for (const n of ['package-lock.json', 'yarn.lock', 'flake.lock']) {
        assert.deepEqual(verdict(got.get(n)), dataFile('lock file'), n);
        assert.ok(unread(got.get(n)), `${n} is judged by its name, before the read`);
      }
    });

    it("skips a real package folder's yarn.lock in place and keeps its package.json and code", async function () {
      realFile('combined-stream/yarn.lock');
      const got = outcomes(await collect(path.join(PROJECT_ROOT, 'node_modules', 'combined-stream')));
      assert.equal(got.get('yarn.lock'), 'data-file');
      assert.equal(got.get('package.json'), 'file');
      assert.equal(got.get('lib/combined_stream.js'), 'file');
    });

    it("skips SVG images (this project's icon, a real SVG font) and other text image and model formats", async function () {
      const font = realFile(FONT_SVG);
      const got = await scan({
        'media/semsearch.svg': projectFile('media/semsearch.svg'),
        'fonts/OpenSans.SVG': font,
        'art/logo.eps': '%!PS-Adobe-3.0 EPSF-3.0\n',
        'art/icon.xpm': '/* XPM */\nstatic char *icon[] = {"1 1 1 1"};\n',
        'models/part.stl': 'solid part\nendsolid part\n',
      });
      assert.deepEqual(verdict(got.get('media/semsearch.svg')), dataFile('SVG image'));
      assert.deepEqual(verdict(got.get('fonts/OpenSans.SVG')), dataFile('SVG image'), 'extensions compare case-insensitively');
      assert.ok(unread(got.get('media/semsearch.svg')));
      assert.deepEqual(verdict(got.get('art/logo.eps')), dataFile('EPS image'));
      assert.deepEqual(verdict(got.get('art/icon.xpm')), dataFile('XPM image'));
      assert.deepEqual(verdict(got.get('models/part.stl')), dataFile('3D model'));
    });

    it('skips tabular and line-delimited data by extension', async () => {
      const got = await scan({
        'data/users.csv': 'id,name\n1,Ada\n',
        'data/users.tsv': 'id\tname\n1\tAda\n',
        'logs/events.jsonl': '{"a":1}\n{"a":2}\n',
        'logs/events.ndjson': '{"a":1}\n',
        'maps/world.geojson': '{"type":"FeatureCollection","features":[]}\n',
        'maps/route.gpx': '<gpx></gpx>\n',
        'src/csv.ts': 'export const csv = 1;\n',
      });
      assert.deepEqual(verdict(got.get('data/users.csv')), dataFile('CSV data'));
      assert.deepEqual(verdict(got.get('data/users.tsv')), dataFile('TSV data'));
      assert.deepEqual(verdict(got.get('logs/events.jsonl')), dataFile('JSON Lines data'));
      assert.deepEqual(verdict(got.get('logs/events.ndjson')), dataFile('JSON Lines data'));
      assert.deepEqual(verdict(got.get('maps/world.geojson')), dataFile('GeoJSON data'));
      assert.deepEqual(verdict(got.get('maps/route.gpx')), dataFile('GPX track data'));
      assert.deepEqual(verdict(got.get('src/csv.ts')), { reason: 'indexed' });
    });

    it('skips JSON, XML and YAML over 256 KB by their size, unread; just under it they are read', async function () {
      const messages = realFile('typescript/lib/de/diagnosticMessages.generated.json');
      assert.ok(messages.length > 256 * KB);
      const yamlLine = 'key: a value that a configuration file would hold\n';
      const got = await scan({
        'lib/diagnosticMessages.generated.json': messages,
        'data/feed.xml': `<feed>\n${'  <entry><title>t</title></entry>\n'.repeat(Math.ceil((300 * KB) / 36))}</feed>\n`,
        'spec/big.yaml': yamlLine.repeat(Math.ceil((300 * KB) / yamlLine.length)),
        'spec/under.yml': yamlLine.repeat(Math.floor((255 * KB) / yamlLine.length)),
      });
      assert.deepEqual(verdict(got.get('lib/diagnosticMessages.generated.json')), dataFile('JSON data over 256 KB'));
      assert.deepEqual(verdict(got.get('data/feed.xml')), dataFile('XML data over 256 KB'));
      assert.deepEqual(verdict(got.get('spec/big.yaml')), dataFile('YAML data over 256 KB'));
      assert.deepEqual(verdict(got.get('spec/under.yml')), { reason: 'indexed' });
      for (const rel of ['lib/diagnosticMessages.generated.json', 'data/feed.xml', 'spec/big.yaml']) assert.ok(unread(got.get(rel)), rel);
    });

    it('comes before the size cap: a lock file over the cap says data-file, and too-large once the setting is on', async () => {
      const big = { 'package-lock.json': Buffer.alloc(2 * MB, ' ') };
      assert.equal(verdict((await scan(big)).get('package-lock.json')).reason, 'data-file');
      assert.equal(verdict((await scan(big, ON)).get('package-lock.json')).reason, 'too-large');
    });
  });

  describe('by content, after the read', () => {
    it("skips real JSON tables: mime-db's database (an object of records) and the SPDX license ids (a list)", async function () {
      const got = await scan({ 'db.json': realFile('mime-db/db.json'), 'index.json': realFile('spdx-license-ids/index.json') });
      const db = verdict(got.get('db.json'));
      assert.equal(db.reason, 'data-file');
      assert.match(db.detail!, /^Data rather than code \(JSON data: \d{1,3}(,\d{3})+ entries in one object\)/);
      assert.ok(!unread(got.get('db.json')), 'under 256 KB, so judged after the read');
      const ids = verdict(got.get('index.json'));
      assert.equal(ids.reason, 'data-file');
      assert.match(ids.detail!, /^Data rather than code \(JSON data: \d+ items in one list\)/);
    });

    it('finds the table anywhere in the JSON, and counts exactly', async () => {
      const nested = JSON.stringify({ version: 1, data: { points: Array.from({ length: 1200 }, (_, i) => [i, i * 2]) } }, null, 1);
      const got = await scan({
        'fixtures/points.json': nested,
        'fixtures/few.json': JSON.stringify({ points: Array.from({ length: 499 }, (_, i) => i) }, null, 1),
      });
      assert.deepEqual(verdict(got.get('fixtures/points.json')), dataFile('JSON data: 1,200 items in one list'));
      assert.deepEqual(verdict(got.get('fixtures/few.json')), { reason: 'indexed' }, '499 entries: under the rule');
    });

    it("keeps small configuration JSON indexed: this project's package.json and tsconfig.json, real package manifests and a schema", async function () {
      const got = await scan({
        'package.json': projectFile('package.json'),
        'tsconfig.json': projectFile('tsconfig.json'),
        'ts/package.json': realFile('typescript/package.json'),
        'lsp/metaModel.schema.json': realFile('vscode-languageserver-protocol/metaModel.schema.json'),
        'jsonc/tsconfig.json': '{\n  // comments make it JSONC, which is configuration\n  "compilerOptions": { "strict": true }\n}\n',
      });
      for (const rel of ['package.json', 'tsconfig.json', 'ts/package.json', 'lsp/metaModel.schema.json', 'jsonc/tsconfig.json']) {
        assert.deepEqual(verdict(got.get(rel)), { reason: 'indexed' }, rel);
      }
    });

    it('judges a JSON file that grew past 256 KB since the walk by what was read', async () => {
      const root = makeTree({ 'config.json': '{"a": 1}\n' });
      const [event] = await collect(root);
      assert.ok(event.kind === 'file');
      writeFile(root, 'config.json', `{"text": "${'a'.repeat(300 * KB)}"}\n`);
      assert.deepEqual(verdict(await readSourceFile(event.file, OFF)), dataFile('JSON data over 256 KB'));
    });

    it('never throws on JSON nested deeper than a recursive walk could go', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const r = verdict((await scan({ 'deep.json': deep })).get('deep.json'));
      assert.ok(['indexed', 'minified'].includes(r.reason), JSON.stringify(r));
    });

    it('reads only JSON by content: a large list in a .ts file is code', async () => {
      const code = `export const PRIMES = [\n${Array.from({ length: 800 }, (_, i) => `  ${i},`).join('\n')}\n];\n`;
      assert.deepEqual(verdict((await scan({ 'src/primes.ts': code })).get('src/primes.ts')), { reason: 'indexed' });
    });
  });

  it('indexes every kind when indexDataFiles is on', async function () {
    const files = {
      // The SVG font rather than the icon: the icon is one 300-character line, which the minified rule would skip.
      'package-lock.json': projectFile('package-lock.json'),
      'fonts/OpenSans.svg': realFile(FONT_SVG),
      'data/users.csv': 'id,name\n1,Ada\n',
      'index.json': realFile('spdx-license-ids/index.json'),
      'spec/big.yaml': 'key: value\n'.repeat(Math.ceil((300 * KB) / 11)),
    };
    const on = await scan(files, ON);
    for (const rel of Object.keys(files)) assert.deepEqual(verdict(on.get(rel)), { reason: 'indexed' }, rel);
    const off = await scan(files, OFF);
    for (const rel of Object.keys(files)) assert.equal(verdict(off.get(rel)).reason, 'data-file', rel);
  });
});
