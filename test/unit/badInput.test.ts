// Issue 5, end to end: one workspace holding every kind of bad input beside good source, indexed by the built
// CLI (a child process, as a user runs it). Every path must end indexed, skipped or failed with its exact
// reason; nothing may crash; the good files beside the bad ones must be indexed and found by search.
// Changes between the walk and the read need a hook between the two, so those run in process (indexFolder
// reports each file as current just before reading it), and so does the many-tiny-files case.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../common/settings';
import { EmbeddingCache } from '../../server/src/engine/cache/embeddingCache';
import { Chunker } from '../../server/src/engine/chunker/chunker';
import { EmbedderPool } from '../../server/src/engine/embedder/embedderPool';
import { idsEmbedder } from '../../server/src/engine/embedder/onnxBackend';
import { indexFolder, type IndexDeps } from '../../server/src/engine/indexer/indexer';
import { ModelTokenizer } from '../../server/src/engine/model/tokenizer';
import { ChunkSegments } from '../../server/src/engine/store/chunkSegments';
import { CLI, type CliRun, lastLine, runCli } from '../helpers/cliRun';
import { linesInside } from '../helpers/excerpts';
import { standinModel, workerScript } from '../helpers/standin';
import {
  DEEP_FILE,
  DEEP_TEXT,
  type Expected,
  fixture,
  GOOD,
  LATIN1_TEXT,
  LONG_LINE_FILE,
  makeWorkspace,
  MB,
  NEWLINE_NAME,
  NFC,
  NFD,
  POSIX,
  removeTree,
  SECRET_TEXT,
  SPACED,
  SPACED_TEXT,
  write,
} from './badInputFixture';

/** This file's runs index big fixtures: two minutes each unless said otherwise. */
const cli = (args: string[], timeoutMs = 120_000) => runCli(args, { timeoutMs });

interface Report {
  path: string;
  status: string;
  reason: string;
  detail?: string;
  chunks: number;
}
interface Hit {
  path: string;
  startLine: number;
  endLine: number;
  snippet: string;
}

describe('bad input, end to end (dist/cli.js on one workspace)', function () {
  this.timeout(300_000);
  let tmp: string;
  let ws: string;
  let store: string;
  let expected: Expected[];
  let indexRun: CliRun;
  let files: Report[];
  const entry = (p: string) => {
    const found = files.filter(f => f.path === p);
    assert.equal(found.length, 1, `${JSON.stringify(p)} is reported exactly once`);
    return found[0];
  };
  async function search(query: string, k = 5): Promise<Hit[]> {
    const r = await cli(['search', query, '--store', store, '--json', '-k', String(k)]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(lastLine(r.stdout)) as Hit[];
  }

  before(async () => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing; run npm run build`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-bad-'));
    ws = path.join(tmp, 'workspace');
    store = path.join(tmp, 'store');
    write(tmp, 'outside/secret.ts', SECRET_TEXT);
    expected = makeWorkspace(ws, path.join(tmp, 'outside'));
    indexRun = await cli(['index', ws, '--store', store, '--json']);
    const r = await cli(['files', '--store', store, '--json']);
    assert.equal(r.code, 0, r.stderr);
    files = JSON.parse(lastLine(r.stdout)) as Report[];
  });

  after(() => {
    if (tmp) removeTree(tmp);
  });

  it('finishes: exit 0, a JSON summary, no stack trace, and nothing failed', () => {
    assert.equal(indexRun.code, 0, indexRun.stderr);
    assert.doesNotMatch(indexRun.stderr, /^\s+at .+[:(]\d+/m, indexRun.stderr);
    const summary = JSON.parse(lastLine(indexRun.stdout)) as { files: { indexed: number; failed: number } };
    assert.equal(summary.files.failed, 0, JSON.stringify(files.filter(f => f.status === 'failed')));
    assert.equal(summary.files.indexed, files.filter(f => f.status === 'indexed').length);
    assert.deepEqual(
      files.filter(f => f.status === 'failed'),
      [],
    );
  });

  it('gives every fixture its exact status, reason and detail', () => {
    for (const [p, status, reason, detail] of expected) {
      const f = entry(p);
      assert.deepEqual([f.status, f.reason], [status, reason], `${JSON.stringify(p)}: ${JSON.stringify(f)}`);
      if (detail instanceof RegExp) assert.match(f.detail ?? '', detail, p);
      else assert.equal(f.detail, detail, p);
      if (status === 'indexed') assert.ok(f.chunks > 0, JSON.stringify(f));
      else assert.equal(f.chunks, 0, JSON.stringify(f));
    }
  });

  it('reports every path the scanner saw and nothing else: no path inside a skipped folder, none twice', () => {
    const want = new Set([...GOOD, ...expected.map(([p]) => p)]);
    const seen = files.map(f => f.path);
    assert.equal(new Set(seen).size, seen.length, 'no path twice');
    assert.deepEqual(
      seen.filter(p => !want.has(p)),
      [],
      'no path beyond the fixtures',
    );
    assert.deepEqual(
      [...want].filter(p => !seen.includes(p)),
      [],
      'every fixture has an outcome',
    );
    assert.ok(!seen.some(p => p.startsWith('ignored/') && p !== 'ignored/'), 'ignored/back.ts stays out despite its negation');
    for (const f of files) assert.ok(!path.isAbsolute(f.path) && !f.path.includes('\\'), f.path);
  });

  it('indexes every good file beside the bad ones, and search finds lines cut from each', async () => {
    for (const p of GOOD) assert.equal(entry(p).status, 'indexed', p);
    const cuts: [string, string, number, number][] = [
      ['src/inventory.py', 'def remove(self, sku: str, count: int)', 1, 4],
      ['src/server.go', 'func (s *Store) Get(key string)', 1, 4],
    ];
    for (const [p, signature, skip, count] of cuts) {
      const want = linesInside(fs.readFileSync(path.join(ws, p), 'utf8'), signature, skip, count);
      const hits = await search(want.query);
      const hit = hits.find(h => h.path === p || h.path === 'links/inventory-alias.py');
      assert.ok(hit, `${p}: ${JSON.stringify(hits.map(h => h.path))}`);
      assert.ok(
        hit.startLine <= want.startLine && hit.endLine >= want.endLine,
        `${p}: ${hit.startLine}-${hit.endLine} holds ${want.startLine}-${want.endLine}`,
      );
    }
  });

  it('finds the Latin-1 file, the oddly named files and the file 200 folders down by their text', async () => {
    const cases: [string, string][] = [
      ['src/cafe.ts', LATIN1_TEXT.split('\n').slice(1, 3).join('\n')],
      [SPACED, SPACED_TEXT.trim()],
      [NFD, 'def cafe_decomposed():\n    return "decomposed"'],
      [NFC, 'def cafe_composed():\n    return "composed"'],
      [DEEP_FILE, DEEP_TEXT.trim()],
    ];
    if (POSIX) cases.push([NEWLINE_NAME, 'def newline_in_name():\n    return "odd"']);
    for (const [p, query] of cases) {
      const [top] = await search(query, 3);
      assert.equal(top.path, p, `${JSON.stringify(p)} found by its own text`);
      if (p === 'src/cafe.ts') assert.match(top.snippet, /préchauffer à/, `the Latin-1 text was decoded, not mangled: ${top.snippet}`);
    }
  });

  it('indexes the file with a 1 MB line without that line: the functions around it are found', async () => {
    for (const [signature, body] of [
      ['parseHeaderBlock', 'head'],
      ['summarizeTrailerLines', 'tail'],
    ]) {
      const hits = await search(`export function ${signature}\n  const ${body}3 = compute(3, options); // step 3`, 3);
      assert.equal(hits[0].path, LONG_LINE_FILE, JSON.stringify(hits.map(h => h.path)));
      assert.match(hits[0].snippet, new RegExp(signature));
    }
    const all = await search('export const blob = "QUJDQUJDQUJD', 50);
    for (const h of all.filter(x => x.path === LONG_LINE_FILE)) assert.doesNotMatch(h.snippet, /QUJDQUJD/, 'the long line is left out');
  });

  it('never reads a file outside the folder through a link: its text is not in the index', async function () {
    if (!POSIX) this.skip();
    const hits = await search(SECRET_TEXT.trim(), 10);
    for (const h of hits) assert.doesNotMatch(h.snippet, /leakTheOutsideSecret/, JSON.stringify(h));
  });
});

describe('bad input between the walk and the read (in process: indexFolder names each file just before reading it)', function () {
  this.timeout(120_000);
  let root: string;
  let outside: string;
  let pool: EmbedderPool;
  let chunker: Chunker;
  let tok: ModelTokenizer;

  before(async () => {
    tok = await ModelTokenizer.load(standinModel());
    chunker = await Chunker.create();
    pool = await EmbedderPool.start({
      onnxPath: standinModel().onnxPath,
      workerScript: workerScript(),
      size: 1,
      threadsPerWorker: 1,
      memoryLimitMB: 2048,
      batchTimeoutMs: 30_000,
      maxAttempts: 3,
    });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-race-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-race-outside-'));
  });
  after(async () => {
    await pool.dispose();
    chunker.dispose();
    for (const dir of [root, outside]) if (dir) removeTree(dir);
  });

  it('gives each file changed after the walk the outcome of what it is when read; the rest is indexed', async () => {
    const full = `${fixture('inventory.py')}\n`;
    const cutAt = full.split('\n').slice(0, 20).join('\n').length + 1; // the first 20 lines, whole
    for (const name of ['deleted', 'truncated', 'emptied', 'to-binary', 'to-folder', 'grown', 'to-outside-link'])
      write(root, `race/${name}.py`, full);
    write(root, 'race/good.go', fixture('server.go'));
    write(outside, 'secret.py', 'def outside_secret():\n    return "never indexed"\n');
    // Every change happens once the walk is done and before any file is read: at the first file's progress
    // event (reads run a few files ahead of the current one, so a later file's event may come after its read).
    const changes: Record<string, () => void> = {
      'race/deleted.py': () => fs.rmSync(path.join(root, 'race/deleted.py')),
      'race/truncated.py': () => fs.truncateSync(path.join(root, 'race/truncated.py'), cutAt),
      'race/emptied.py': () => fs.truncateSync(path.join(root, 'race/emptied.py'), 0),
      'race/to-binary.py': () =>
        fs.writeFileSync(path.join(root, 'race/to-binary.py'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0])),
      'race/to-folder.py': () => {
        fs.rmSync(path.join(root, 'race/to-folder.py'));
        fs.mkdirSync(path.join(root, 'race/to-folder.py'));
      },
      'race/grown.py': () => fs.writeFileSync(path.join(root, 'race/grown.py'), Buffer.alloc(2 * MB, 'x = 1\n')),
      'race/to-outside-link.py': () => {
        fs.rmSync(path.join(root, 'race/to-outside-link.py'));
        fs.symlinkSync(path.join(outside, 'secret.py'), path.join(root, 'race/to-outside-link.py'));
      },
    };
    const store = ChunkSegments.create(384);
    const deps: IndexDeps = {
      modelId: 'minilm-standin',
      settings: () => DEFAULT_SETTINGS,
      tokenizer: tok,
      chunker,
      embedder: idsEmbedder(pool),
      maxBatchesInFlight: 2,
      cache: new EmbeddingCache(1 << 24),
      segments: store,
    };
    const changed: string[] = [];
    const out = await indexFolder(root, deps, p => {
      if (p.phase === 'indexing' && changed.length === 0)
        for (const [file, change] of Object.entries(changes)) {
          change();
          changed.push(file);
        }
    });
    assert.deepEqual(changed.sort(), Object.keys(changes).sort(), 'every change ran between the walk and the read');
    const got = Object.fromEntries(out.ledger.reports().map(r => [r.path, [r.status, r.reason, r.detail]]));
    assert.deepEqual(got['race/deleted.py'], ['skipped', 'vanished', 'The file was deleted or moved while the index was being built.']);
    assert.deepEqual(got['race/emptied.py'], ['skipped', 'empty', 'The file is empty.']);
    assert.deepEqual(got['race/to-binary.py'], ['skipped', 'binary', 'Contains NUL bytes, so it looks like a binary file.']);
    assert.deepEqual(got['race/to-folder.py'], [
      'skipped',
      'special-file',
      'It is no longer a regular file (now a socket, pipe, device or folder).',
    ]);
    assert.deepEqual(got['race/grown.py'], ['skipped', 'too-large', 'Over the 1 MB size cap (2 MB); raise maxFileSizeMB to index it.']);
    assert.deepEqual(got['race/to-outside-link.py'], [
      'skipped',
      'outside-folder',
      `Now a symlink to ${fs.realpathSync(path.join(outside, 'secret.py'))}, outside the indexed folder; files outside it are never read.`,
    ]);
    assert.deepEqual(got['race/truncated.py'].slice(0, 2), ['indexed', '']);
    assert.deepEqual(got['race/good.go'].slice(0, 2), ['indexed', '']);
    // The truncated file is indexed as its first 20 lines: no chunk reaches past them.
    const metas = store.exactSearch(new Float32Array(384).fill(1), store.count).map(s => s.meta);
    const truncated = metas.filter(m => m.path === 'race/truncated.py');
    assert.ok(truncated.length > 0);
    for (const m of truncated) assert.ok(m.endLine <= 20, `chunk ${m.startLine}-${m.endLine} is within the 20 lines left`);
    assert.deepEqual([...new Set(metas.map(m => m.path))].sort(), ['race/good.go', 'race/truncated.py']);
    assert.equal(out.ledger.summary().failed, 0);
  });
});

/**
 * Many tiny files: the walk, the ledger, the store and `files --json` all see every one. The embedding cache
 * means only DISTINCT texts are embedded. The full 100k by default (about 2 minutes on 2 cores);
 * SEMSEARCH_TINY_FILES=5000 makes a quick local run.
 */
describe('many tiny files (dist/cli.js)', function () {
  const COUNT = Number(process.env.SEMSEARCH_TINY_FILES || 100_000);
  const DISTINCT = 100;
  const LIMIT_MS = Math.max(120_000, COUNT * 5); // 100k files took 170 s on 2 cores
  this.timeout(2 * LIMIT_MS);
  let tmp: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-tiny-'));
  });
  after(() => {
    if (tmp) removeTree(tmp);
  });

  it(`indexes every one of ${COUNT} tiny files, embeds each distinct text once, and lists them all`, async () => {
    const ws = path.join(tmp, 'ws');
    const store = path.join(tmp, 'store');
    let t = performance.now();
    for (let d = 0; d * 1000 < COUNT; d++) fs.mkdirSync(path.join(ws, `d${String(d).padStart(3, '0')}`), { recursive: true });
    for (let i = 0; i < COUNT; i++) {
      const text = `export function tinyHelper${i % DISTINCT}(value: number): number {\n  return value * ${i % DISTINCT} + 1;\n}\n`;
      fs.writeFileSync(path.join(ws, `d${String(Math.floor(i / 1000)).padStart(3, '0')}`, `f${i}.ts`), text);
    }
    const createS = (performance.now() - t) / 1000;
    t = performance.now();
    const run = await cli(['index', ws, '--store', store, '--json'], LIMIT_MS);
    const indexS = (performance.now() - t) / 1000;
    assert.equal(run.code, 0, run.stderr);
    const s = JSON.parse(lastLine(run.stdout)) as {
      files: { indexed: number; failed: number };
      chunks: number;
      embedded: number;
      peakRssMB: number;
    };
    assert.deepEqual([s.files.indexed, s.files.failed, s.chunks], [COUNT, 0, COUNT]);
    assert.ok(s.embedded <= DISTINCT, `embedded ${s.embedded}: identical texts are embedded once`);
    assert.ok(s.peakRssMB < 1536, `peak RSS ${s.peakRssMB} MB (engine + workers) stays bounded`);
    t = performance.now();
    const r = await cli(['files', '--store', store, '--json']);
    const filesS = (performance.now() - t) / 1000;
    assert.equal(r.code, 0, r.stderr);
    const files = JSON.parse(lastLine(r.stdout)) as Report[];
    assert.equal(files.length, COUNT);
    assert.ok(files.every(f => f.status === 'indexed' && f.chunks === 1));
    const [top] = JSON.parse(
      lastLine(
        (await cli(['search', 'export function tinyHelper42(value: number): number {', '--store', store, '--json', '-k', '1'])).stdout,
      ),
    ) as Hit[];
    assert.match(top.snippet, /tinyHelper42\b/);
    process.stderr.write(
      `      ${COUNT} tiny files: create ${createS.toFixed(1)} s, index ${indexS.toFixed(1)} s (peak RSS ${s.peakRssMB} MB), files --json ${filesS.toFixed(2)} s\n`,
    );
  });
});
