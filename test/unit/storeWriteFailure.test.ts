// The store's disk write failing (full disk, read-only folder): the failure is said in one line, the store
// saved before stays whole and loadable, indexing goes on in memory, and the next save once the disk takes
// writes again succeeds. The tests run as root, whom chmod does not stop, so most faults are injected through
// the store's file seam (storeFs) with real errno codes; a chmod 0555 variant runs when not root.

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../common/settings';
import { Engine } from '../../server/src/engine/engine';
import type { FolderIndex, IndexSummary } from '../../server/src/engine/folderIndex';
import type { CheckpointPolicy } from '../../server/src/engine/indexer/checkpointer';
import { StoreCorruptError } from '../../server/src/engine/store/storeChecksums';
import { loadStore, saveStore, STORE_FORMAT, StoreManifest } from '../../server/src/engine/store/storeFolder';
import { errnoError, setStoreFsForTests } from '../../server/src/engine/store/storeFs';
import { StoreWriteError } from '../../server/src/engine/store/storeWriteError';
import { ChunkSegments } from '../../server/src/engine/store/chunkSegments';
import type { FileReport } from '../../server/src/engine/types';
import { FolderLocks } from '../../server/src/workspace/folderLocks';
import type { WorkspaceFolder } from '../../server/src/workspace/workspaceFolders';
import { pythonModule, writePythonModules } from '../helpers/pythonModules';
import { PROJECT_ROOT, standinModelsDir, workerScript } from '../helpers/standin';

const MODEL = process.env.SEMSEARCH_MODEL || 'minilm-standin';
const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');
const isRoot = process.getuid?.() === 0;

function tempFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter(n => n.endsWith('.tmp'));
}

describe('store write failure: saveStore', function () {
  const DIMS = 4;
  const manifest: StoreManifest = {
    format: STORE_FORMAT,
    modelId: 'test/model',
    dims: DIMS,
    maxChunkTokens: 64,
    root: '/work/folder',
    indexedAt: '',
  };
  let dir: string;
  let restore: (() => void) | undefined;

  function storeOf(n: number): { store: ChunkSegments; files: FileReport[] } {
    const store = ChunkSegments.create(DIMS);
    const files: FileReport[] = [];
    for (let i = 0; i < n; i++) {
      store.add(
        { path: `f${i}.ts`, startLine: 1, endLine: 2, symbol: `s${i}`, kind: 'function' },
        Float32Array.from([1, i, i % 3, 1 + i]),
        `function s${i}() {}`,
      );
      files.push({ path: `f${i}.ts`, status: 'indexed', reason: '', chunks: 1 });
    }
    return { store, files };
  }

  /** The previous save: two chunks, loadable. */
  function savePrevious(): void {
    const { store, files } = storeOf(2);
    saveStore(dir, manifest, store, files);
  }

  function assertPreviousIntact(): void {
    assert.deepEqual(tempFiles(dir), [], 'no temp files left behind');
    const loaded = loadStore(dir, manifest.modelId, manifest.maxChunkTokens);
    assert.equal(loaded.segments.count, 2);
    assert.deepEqual(
      loaded.files.map(f => f.path),
      ['f0.ts', 'f1.ts'],
    );
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-storefail-'));
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a full disk: one line saying what to do, temp files removed, the previous store intact', () => {
    savePrevious();
    const { store, files } = storeOf(5);
    // The graph's and the codes' temp files are written; the chunk metadata that follows finds no room.
    restore = setStoreFsForTests({
      writeFileSync: (file, data) => {
        if (file.includes('.meta')) throw errnoError('ENOSPC', 'write', file);
        fs.writeFileSync(file, data);
      },
    });
    assert.throws(
      () => saveStore(dir, manifest, store, files),
      (e: Error) => {
        assert.ok(e instanceof StoreWriteError);
        assert.equal(e.code, 'ENOSPC');
        assert.equal(
          e.message,
          `Could not save the index of /work/folder to ${dir}: no space left on device (ENOSPC). Free some disk space.`,
        );
        return true;
      },
    );
    assertPreviousIntact();
    // The disk freed: the same save goes through.
    restore();
    restore = undefined;
    saveStore(dir, manifest, store, files);
    assert.equal(loadStore(dir, manifest.modelId, manifest.maxChunkTokens).segments.count, 5);
  });

  it('a read-only disk (EROFS) and a full quota (EDQUOT) fail before any rename', () => {
    savePrevious();
    const { store, files } = storeOf(3);
    for (const code of ['EROFS', 'EDQUOT']) {
      restore = setStoreFsForTests({
        writeFileSync: file => {
          throw errnoError(code, 'open', file);
        },
      });
      assert.throws(() => saveStore(dir, manifest, store, files), new RegExp(`\\(${code}\\)\\. (Make|Free)`));
      restore();
      assertPreviousIntact();
    }
    restore = undefined;
  });

  it('a graph file the native writer left short (a full disk it does not report) is caught, not saved', () => {
    savePrevious();
    const { store, files } = storeOf(4);
    restore = setStoreFsForTests({
      saveGraph: (graph, file) => {
        const call = graph.save(file);
        call.block();
        fs.truncateSync(file, fs.statSync(file).size - 7);
        return call;
      },
    });
    assert.throws(() => saveStore(dir, manifest, store, files), /no space left on device \(ENOSPC\)/);
    assertPreviousIntact();
    // The segment stayed in memory: once the disk is whole again the same store saves.
    restore();
    restore = undefined;
    saveStore(dir, manifest, store, files);
    assert.equal(loadStore(dir, manifest.modelId, manifest.maxChunkTokens).segments.count, 4);
  });

  it('a rename failing part way leaves the previous store, or one the checksums reject, never one read wrong', () => {
    savePrevious();
    const { store, files } = storeOf(4);
    // The 2nd rename is a new segment's file: no manifest lists it, the previous store stands.
    let renames = 0;
    restore = setStoreFsForTests({
      renameSync: (from, to) => {
        if (++renames === 2) throw errnoError('EIO', 'rename', to);
        fs.renameSync(from, to);
      },
    });
    assert.throws(() => saveStore(dir, manifest, store, files), /i\/o error \(EIO\)/);
    restore();
    assertPreviousIntact();
    // The manifest's own rename fails after files.json's: the old manifest's checksum rejects the new files.json (a rebuild).
    restore = setStoreFsForTests({
      renameSync: (from, to) => {
        if (to.endsWith('manifest.json')) throw errnoError('EIO', 'rename', to);
        fs.renameSync(from, to);
      },
    });
    assert.throws(() => saveStore(dir, manifest, store, files), /i\/o error \(EIO\)/);
    restore();
    restore = undefined;
    assert.deepEqual(tempFiles(dir), []);
    assert.throws(() => loadStore(dir, manifest.modelId, manifest.maxChunkTokens), StoreCorruptError);
    saveStore(dir, manifest, store, files);
    assert.equal(loadStore(dir, manifest.modelId, manifest.maxChunkTokens).segments.count, 4);
  });

  it('a real read-only store folder (chmod 0555)', function () {
    if (isRoot || process.platform === 'win32') this.skip(); // root writes through chmod 0555
    savePrevious();
    fs.chmodSync(dir, 0o555);
    const { store, files } = storeOf(3);
    assert.throws(() => saveStore(dir, manifest, store, files), /permission denied \(EACCES\)\. Make .* writable/);
    assertPreviousIntact();
  });
});

describe('store write failure: an index run', function () {
  this.timeout(120_000);
  let tmp: string;
  let ws: string;
  let store: string;
  let engine: Engine;
  let restore: (() => void) | undefined;
  /** The fault seam's switch: while set, every store write fails with this code. */
  let failWith: string | undefined;

  async function open(checkpoint: CheckpointPolicy): Promise<FolderIndex> {
    const settings = { ...DEFAULT_SETTINGS, modelsDir: standinModelsDir(), modelId: MODEL, poolSize: 1 };
    engine = await Engine.open({ settings, workerScript: workerScript(), checkpoint });
    return engine.folder(ws, store, true);
  }

  function saved(): { chunks: number; paths: string[] } {
    const s = loadStore(store, MODEL, DEFAULT_SETTINGS.maxChunkTokens);
    return {
      chunks: s.segments.count,
      paths: s.files
        .filter(f => f.status === 'indexed')
        .map(f => f.path)
        .sort(),
    };
  }

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-storefail-run-'));
    ws = path.join(tmp, 'ws');
    store = path.join(tmp, 'store');
    writePythonModules(ws, 0, 4, 3);
    failWith = undefined;
    const fail = (file: string) => {
      if (failWith) throw errnoError(failWith, 'write', file);
    };
    restore = setStoreFsForTests({
      writeFileSync: (file, data) => {
        fail(file);
        fs.writeFileSync(file, data);
      },
      saveGraph: (graph, file) => {
        fail(file);
        return graph.save(file);
      },
    });
  });

  afterEach(async () => {
    restore?.();
    await engine?.dispose();
    if (fs.existsSync(store)) fs.chmodSync(store, 0o755);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a full disk at a checkpoint: the run goes on, the store before stays loadable, the error clears once the disk is freed', async () => {
    // A checkpoint after every file: embedding is asynchronous, so a chunk count may not come due in a small run.
    const folder = await open({ everyMs: 0, everyChunks: 1e9 });
    const first = await folder.index();
    assert.equal(first.saveError, undefined);
    const before = saved();
    writePythonModules(ws, 4, 10, 3);

    failWith = 'ENOSPC';
    const events: (string | undefined)[] = [];
    let whileFull: { chunks: number; paths: string[] } | undefined;
    folder.onSaveError = e => {
      events.push(e?.message);
      if (e) {
        // Read at the moment of failure: the previous save, whole; then the disk is "freed".
        assert.deepEqual(tempFiles(store), []);
        whileFull = saved();
        assert.equal(folder.saveError, e.message);
        failWith = undefined;
      }
    };
    const run = await folder.index();
    assert.deepEqual(whileFull, before, 'the store on disk was the previous save while the disk was full');
    assert.equal(events.length, 2, `one failure, one recovery: ${JSON.stringify(events)}`);
    assert.match(events[0]!, /^Could not save the index of .* to .*: no space left on device \(ENOSPC\)\. Free some disk space\.$/);
    assert.equal(events[1], undefined, 'the next checkpoint saved and cleared the error');
    assert.equal(run.saveError, undefined);
    assert.equal(folder.saveError, undefined);
    assert.equal(run.files.indexed, 10);
    assert.deepEqual(saved().paths, Array.from({ length: 10 }, (_, f) => `module_${f}.py`).sort());
  });

  it('a read-only store at the end of a run: reported in the summary, search works, the next save succeeds', async () => {
    const folder = await open({ everyMs: 1e9, everyChunks: 1e9 });
    await folder.index();
    const before = saved();
    writePythonModules(ws, 4, 6, 3);

    failWith = 'EROFS';
    const run = await folder.index();
    assert.match(run.saveError ?? '', /the disk is read-only \(EROFS\)\. Make .* writable/);
    assert.equal(folder.saveError, run.saveError);
    assert.ok(folder.hasUnsavedChanges, 'what is in memory is not on disk');
    assert.deepEqual(saved(), before, 'the previous store is intact');
    assert.deepEqual(tempFiles(store), []);
    // Indexing went on in memory: the new file is searchable.
    const hits = await folder.search(engine.query(pythonModule(5, 3), { k: 5, mode: 'hybrid' }));
    assert.ok(
      hits.some(h => h.path === 'module_5.py'),
      JSON.stringify(hits.map(h => h.path)),
    );

    failWith = undefined;
    assert.equal(folder.trySave(), true);
    assert.equal(folder.saveError, undefined);
    assert.equal(saved().chunks, run.chunks);
  });

  it('a real read-only store folder (chmod 0555) at the end of a run', async function () {
    if (isRoot || process.platform === 'win32') this.skip(); // root writes through chmod 0555
    const folder = await open({ everyMs: 1e9, everyChunks: 1e9 });
    await folder.index();
    const before = saved();
    writePythonModules(ws, 4, 6, 3);
    const run: IndexSummary = await folder.index(p => {
      if (p.phase === 'done') fs.chmodSync(store, 0o555);
    });
    assert.match(run.saveError ?? '', /permission denied \(EACCES\)/);
    assert.deepEqual(saved(), before);
    fs.chmodSync(store, 0o755);
    assert.equal(folder.trySave(), true);
  });
});

describe("store write failure: the language server's store lock", function () {
  it('a store folder that cannot be created is reported, not thrown, and taken once it can be', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-storefail-lock-'));
    // A regular file where the store's parent folder should be: mkdir fails (ENOTDIR) even for root.
    const blocker = path.join(tmp, 'storage');
    fs.writeFileSync(blocker, '');
    const folder: WorkspaceFolder = { uri: 'file:///ws', name: 'ws', root: '/ws', realRoot: '/ws', storeDir: path.join(blocker, 'store') };
    const errors: (string | undefined)[] = [];
    let taken!: () => void;
    const takenOnce = new Promise<void>(resolve => {
      taken = resolve;
    });
    const locks = new FolderLocks(
      { lockTaken: () => taken(), savedByHolder: () => {}, healthChanged: () => {}, lockWriteChanged: (_f, e) => errors.push(e) },
      10,
    );
    try {
      locks.claim(folder);
      assert.equal(locks.owns(folder), false);
      assert.match(
        locks.writeError(folder) ?? '',
        /^Could not lock the index of ws in .*: not a directory \(ENOTDIR\)\. Check that .* is writable .*\. Its saved index is searched meanwhile; indexing starts once the folder can be written\.$/,
      );
      fs.rmSync(blocker);
      fs.mkdirSync(blocker);
      await takenOnce;
      assert.equal(locks.owns(folder), true);
      assert.equal(locks.writeError(folder), undefined);
      assert.equal(errors.length, 2, JSON.stringify(errors));
      assert.equal(errors[1], undefined);
    } finally {
      locks.dispose();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('store write failure: the CLI', function () {
  this.timeout(120_000);
  let tmp: string;

  interface Run {
    code: number;
    stdout: string;
    stderr: string;
  }
  function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
    const full = { ...process.env, SEMSEARCH_MODEL_DIR: standinModelsDir(), SEMSEARCH_MODEL: MODEL, ...env };
    return new Promise(resolve => {
      execFile(process.execPath, [CLI, ...args], { env: full, maxBuffer: 1 << 26, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });
  }
  const summaryOf = (r: Run) => JSON.parse(r.stdout.trimEnd().split('\n').pop()!) as IndexSummary;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-storefail-cli-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a read-only store at the end of a run: one line, non-zero exit, the previous store intact; the next run resumes', async () => {
    const ws = path.join(tmp, 'ws');
    const store = path.join(tmp, 'store');
    writePythonModules(ws, 0, 4, 3);
    const first = await cli(['index', ws, '--store', store, '--json']);
    assert.equal(first.code, 0, first.stderr);
    const firstChunks = summaryOf(first).chunks;
    writePythonModules(ws, 4, 7, 3);

    // SEMSEARCH_TEST_STORE_FAULT_FILE: while the file exists, every store write fails with the code it holds.
    const fault = path.join(tmp, 'fault');
    fs.writeFileSync(fault, 'EROFS');
    const failed = await cli(['index', ws, '--store', store, '--json'], { SEMSEARCH_TEST_STORE_FAULT_FILE: fault });
    assert.equal(failed.code, 1, failed.stderr);
    const last = failed.stderr.trimEnd().split('\n').pop()!;
    assert.match(
      last,
      new RegExp(
        `^semsearch: Could not save the index of ${ws} to ${store}: the disk is read-only \\(EROFS\\)\\. Make .* writable .*\\. Then run the same command again: it resumes from the last saved index\\.$`,
      ),
    );
    assert.match(summaryOf(failed).saveError ?? '', /EROFS/);
    assert.deepEqual(tempFiles(store), []);
    const files = await cli(['files', '--store', store, '--json']);
    assert.equal(files.code, 0, files.stderr);
    assert.equal((JSON.parse(files.stdout) as FileReport[]).filter(f => f.status === 'indexed').length, 4, "the store is the first run's");

    fs.rmSync(fault);
    const resumed = await cli(['index', ws, '--store', store, '--json'], { SEMSEARCH_TEST_STORE_FAULT_FILE: fault });
    assert.equal(resumed.code, 0, resumed.stderr);
    const s = summaryOf(resumed);
    assert.equal(s.saveError, undefined);
    assert.equal(s.files.indexed, 7);
    assert.equal(s.embedded, s.chunks - firstChunks, 'only what the saved store lacked was embedded');
  });
});
