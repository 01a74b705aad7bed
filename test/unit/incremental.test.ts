// Incremental indexing: a re-run of `semsearch index` reconciles with the saved store instead of rebuilding.
// Driven through the built CLI (a new process each run, so the in-memory embedding cache is always empty and
// only the store can spare the embedding), plus an in-process engine for the repeated-edit bound.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, EngineSettings } from '../../common/settings';
import { Engine } from '../../server/src/engine/engine';
import type { FolderIndex } from '../../server/src/engine/folderIndex';
import { CLI, runCli as cli, lastLine } from '../helpers/cliRun';
import { PROJECT_ROOT, standinModelsDir, workerScript } from '../helpers/standin';

const MODEL = process.env.SEMSEARCH_MODEL || 'minilm-standin';
const APPENDED = [
  '',
  'def reorder_point_for_supplier(lead_time_days, daily_demand, safety_stock):',
  '    """The stock level at which a new purchase order goes to the supplier."""',
  '    return lead_time_days * daily_demand + safety_stock',
  '',
].join('\n');

interface Summary {
  chunks: number;
  embedded: number;
  reused: number;
  cacheHits: number;
  tokens: number;
  seconds: number;
  storeBytes: number;
  rebuilt?: string;
  files: { indexed: number };
}

/** A small real workspace: three of the chunker's fixtures and a real CommonJS file, a few dozen chunks. */
function makeWorkspace(root: string): void {
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  for (const name of ['inventory.py', 'server.go', 'TodoList.tsx'])
    fs.copyFileSync(path.join(PROJECT_ROOT, 'test/fixtures/chunker', name), path.join(root, 'src', name));
  fs.copyFileSync(path.join(PROJECT_ROOT, 'node_modules/ms/index.js'), path.join(root, 'src', 'ms.js'));
}

describe('incremental indexing (CLI re-runs on a saved store)', function () {
  this.timeout(120_000);
  let tmp: string;
  let ws: string;
  let store: string;
  let cold: Summary;

  async function index(): Promise<Summary & { stderr: string }> {
    const r = await cli(['index', ws, '--store', store, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return { ...(JSON.parse(lastLine(r.stdout)) as Summary), stderr: r.stderr };
  }

  async function chunksOf(rel: string): Promise<number> {
    const r = await cli(['files', '--store', store, '--json']);
    return (JSON.parse(r.stdout) as { path: string; chunks: number }[]).find(f => f.path === rel)?.chunks ?? 0;
  }

  before(async () => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing; run npm run build`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-incr-'));
    ws = path.join(tmp, 'workspace');
    store = path.join(tmp, 'store');
    makeWorkspace(ws);
    cold = await index();
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a cold run embeds every chunk and records size, mtime and content hash per file', async () => {
    assert.equal(cold.embedded, cold.chunks);
    assert.equal(cold.reused, 0);
    assert.ok(cold.chunks >= 10 && cold.chunks <= 80, `keep the fixture small (${cold.chunks} chunks)`);
    const files = JSON.parse(fs.readFileSync(path.join(store, 'files.json'), 'utf8')) as {
      path: string;
      size: number;
      mtimeMs: number;
      hash: string;
    }[];
    const py = files.find(f => f.path === 'src/inventory.py')!;
    const st = fs.statSync(path.join(ws, 'src/inventory.py'));
    assert.equal(py.size, st.size);
    assert.equal(py.mtimeMs, st.mtimeMs);
    assert.match(py.hash, /^[\w-]{22}$/);
  });

  // Its time against the cold run's is a figure, measured by npm run bench (README, "unchanged re-run"): on
  // this small fixture both are mostly process and worker start-up, and the ratio sat at the old 1/2 bound.
  it('an unchanged re-run embeds nothing, keeps every chunk and does no per-file work', async () => {
    const again = await index();
    assert.equal(again.embedded, 0);
    assert.equal(again.reused, 0, 'unchanged files are not even read');
    assert.equal(again.cacheHits, 0, 'nor chunked');
    assert.equal(again.tokens, 0, 'nor embedded');
    assert.equal(again.chunks, cold.chunks);
    assert.equal(again.files.indexed, cold.files.indexed);
  });

  it('a touched file (new mtime, same content) is not embedded again, and its new mtime is recorded', async () => {
    const file = path.join(ws, 'src/server.go');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    const again = await index();
    assert.equal(again.embedded, 0);
    assert.equal(again.chunks, cold.chunks);
    const files = JSON.parse(fs.readFileSync(path.join(store, 'files.json'), 'utf8')) as { path: string; mtimeMs: number }[];
    assert.equal(files.find(f => f.path === 'src/server.go')!.mtimeMs, fs.statSync(file).mtimeMs);
  });

  it('appending one function embeds only the changed chunks, reuses the rest, and the function is found', async () => {
    const before = await chunksOf('src/inventory.py');
    fs.appendFileSync(path.join(ws, 'src/inventory.py'), APPENDED);
    const again = await index();
    assert.ok(again.embedded >= 1 && again.embedded <= 3, `embedded ${again.embedded}`);
    assert.ok(again.reused >= before - 2, `reused ${again.reused} of ${before}`);
    assert.equal(again.chunks, cold.chunks - before + (await chunksOf('src/inventory.py')));
    const r = await cli(['search', 'lead_time_days * daily_demand + safety_stock', '--store', store, '-k', '3', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const top = (JSON.parse(r.stdout) as { path: string; symbol: string }[])[0];
    assert.equal(top.path, 'src/inventory.py');
    assert.match(top.symbol, /reorder_point_for_supplier/);
  });

  it('a deleted file leaves the index and the report', async () => {
    const goChunks = await chunksOf('src/server.go');
    const before = await index();
    fs.rmSync(path.join(ws, 'src/server.go'));
    const after = await index();
    assert.equal(after.embedded, 0);
    assert.equal(after.chunks, before.chunks - goChunks);
    const files = JSON.parse((await cli(['files', '--store', store, '--json'])).stdout) as { path: string }[];
    assert.ok(!files.some(f => f.path === 'src/server.go'));
  });

  it('a store written with another model is rebuilt, and the run says why', async () => {
    const manifestFile = path.join(store, 'manifest.json');
    fs.writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifestFile, 'utf8')), modelId: 'another/model' }));
    const again = await index();
    assert.match(again.rebuilt ?? '', /another\/model.*rebuilt/);
    assert.match(again.stderr, /built with model another\/model.*it is rebuilt/);
    assert.equal(again.embedded, again.chunks);
    const next = await index();
    assert.equal(next.rebuilt, undefined);
    assert.equal(next.embedded, 0);
  });
});

describe('incremental indexing (in process)', function () {
  this.timeout(120_000);

  /** A fresh workspace and store, one folder index over them with the stand-in model; cleaned up after. */
  async function withFolder(
    prefix: string,
    test: (engine: Engine, folder: FolderIndex, ws: string, settings: EngineSettings) => Promise<void>,
  ): Promise<void> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const ws = path.join(tmp, 'workspace');
    makeWorkspace(ws);
    const settings = { ...DEFAULT_SETTINGS, modelsDir: standinModelsDir(), modelId: MODEL, poolSize: 1 };
    const engine = await Engine.open({ settings, workerScript: workerScript() });
    try {
      await test(engine, engine.folder(ws, path.join(tmp, 'store'), true), ws, settings);
    } finally {
      await engine.dispose();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  it('new chunking settings cut unchanged files again: a lower chunk cap re-embeds nothing, a new budget re-embeds', () =>
    withFolder('semsearch-chunking-', async (engine, folder, _ws, settings) => {
      const first = await folder.index();
      engine.updateSettings({ ...settings, maxChunksPerFile: 2 });
      const capped = await folder.index();
      assert.equal(capped.embedded, 0, 'the first chunks of each file are unchanged: their vectors are kept');
      assert.ok(capped.reused > 0 && capped.chunks < first.chunks, JSON.stringify(capped));
      assert.ok(
        folder
          .files()
          .filter(f => f.status === 'indexed')
          .every(f => f.chunks <= 2),
      );
      engine.updateSettings({ ...settings, maxChunkTokens: 128 });
      const rebudgeted = await folder.index();
      assert.equal(rebudgeted.reused, 0, 'a vector embedded under another budget is not reused');
      assert.equal(rebudgeted.embedded + rebudgeted.cacheHits, rebudgeted.chunks);
    }));

  it('twenty edits of one file keep the store size bounded (deleted slots are reused)', () =>
    withFolder('semsearch-edits-', async (_engine, folder, ws) => {
      const first = await folder.index();
      const file = path.join(ws, 'src/ms.js');
      const original = fs.readFileSync(file, 'utf8');
      const sizes: number[] = [];
      for (let i = 0; i < 20; i++) {
        fs.writeFileSync(file, `${original}\nfunction edit${i}(x) {\n  return x + ${i};\n}\n`);
        const s = await folder.index();
        assert.ok(s.embedded <= 3, `edit ${i}: embedded ${s.embedded}`);
        assert.equal(s.chunks, folder.vectors);
        sizes.push(s.storeBytes);
      }
      assert.ok(folder.slots <= first.chunks + 4, `${folder.slots} slots for ${folder.chunks} chunks`);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) < 8192, `store sizes ${sizes.join(', ')}`);
    }));
});
