// The real language server (dist/server.js --stdio) indexing a two-folder workspace: progress in the health
// (and nowhere else), search during the run (paused) and after it, health, file reports and file trees, and
// bad parameters.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import {
  FilesRequest,
  FileTreeRequest,
  Health,
  HealthRequest,
  PauseRequest,
  ReindexRequest,
  SearchParams,
  SearchRequest,
} from '../../common/protocol';
import { linesInside, makeSecondFolder, makeWorkspace, tempDir, uriOf } from './lspFixture';
import { LspServer, SERVER } from './lspHarness';

describe('language server: indexing a workspace', function () {
  this.timeout(60_000);
  let ws: string;
  let second: string;
  let storage: string;
  let server: LspServer;
  const search = (p: SearchParams) => server.connection.sendRequest(SearchRequest.type, p);
  const health = () => server.connection.sendRequest(HealthRequest.type);
  const idle = (h: Health) => h.state === 'idle' && h.folders.length === 2 && h.folders.every(f => f.files.indexed > 0);

  before(async () => {
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing; run npm run build`);
    [ws, second, storage] = [tempDir('semsearch-lsp-ws-'), tempDir('semsearch-lsp-second-'), tempDir('semsearch-lsp-storage-')];
    makeWorkspace(ws, true);
    makeSecondFolder(second);
    server = await LspServer.start({
      folders: [
        { uri: uriOf(ws), name: 'main' },
        { uri: uriOf(second), name: 'second' },
      ],
      storageDir: storage,
    });
  });

  after(async () => {
    const pids = server?.latestHealth?.workers.map(w => w.pid) ?? [];
    const code = await server?.stop();
    for (const dir of [ws, second, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, 'the server exits cleanly after shutdown / exit');
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `embedder worker ${pid} ended with the server`);
  });

  it('answers a search during the run with partial: true; pause holds the run and resume finishes it', async () => {
    await server.waitForHealth(h => h.state === 'indexing' && (h.progress?.filesDone ?? 0) >= 2 && h.chunks > 0, 'indexing under way');
    await server.connection.sendRequest(PauseRequest.type, { paused: true });
    const paused = await health();
    assert.equal(paused.state, 'paused');
    assert.ok(
      paused.progress && paused.progress.filesDone < paused.progress.filesTotal,
      `paused before the end: ${JSON.stringify(paused.progress)}`,
    );
    const during = await search({ query: 'read the next message from the stream', k: 5 });
    assert.equal(during.partial, true);
    assert.ok(during.results.length > 0, 'what is indexed so far is searchable');
    assert.ok(during.filesIndexed < during.filesTotal, JSON.stringify(during));
    const still = await health();
    assert.deepEqual(
      [still.chunks, still.progress?.filesDone],
      [paused.chunks, paused.progress.filesDone],
      'nothing was indexed while paused',
    );
    await server.connection.sendRequest(PauseRequest.type, { paused: false });
    const done = await server.waitForHealth(idle, 'idle with both folders indexed');
    assert.equal(done.progress, undefined);
  });

  it('reported the run in the health only: scanning, then files, bytes and chunks with rates and elapsed time', () => {
    assert.equal(server.progress.size, 0, 'no LSP work-done progress: the client shows one progress, from the health');
    const seen = server.healths.map(h => h.progress).filter(p => p !== undefined);
    assert.ok(seen.length > 0, 'progress was pushed');
    assert.ok(
      !seen.some(p => p.phase === 'indexing' && p.filesTotal === 0),
      'never "indexing 0/0": before the total is known, the phase is scanning',
    );
    const mid = seen.find(p => p.phase === 'indexing' && p.filesDone > 0 && p.chunksStored > 0);
    assert.ok(mid, JSON.stringify(seen.slice(0, 5)));
    assert.ok(mid.bytesTotal > 0 && mid.bytesDone > 0 && mid.bytesDone <= mid.bytesTotal, JSON.stringify(mid));
    assert.ok(mid.elapsedMs > 0 && mid.chunksPerSecond > 0 && mid.filesPerSecond > 0, JSON.stringify(mid));
    assert.ok(
      seen.filter(p => p.folder !== undefined).every(p => ['main', 'second'].includes(p.folder!)),
      'a multi-root run names the folder',
    );
  });

  it('keeps one store per folder and reports chunks, cache, last run, workers and model', async () => {
    const h = await health();
    assert.equal(
      fs.readdirSync(storage).filter(d => fs.existsSync(path.join(storage, d, 'manifest.json'))).length,
      2,
      'a store per folder',
    );
    assert.deepEqual(
      h.folders.map(f => [f.uri, f.name]),
      [
        [uriOf(ws), 'main'],
        [uriOf(second), 'second'],
      ],
    );
    assert.equal(
      h.chunks,
      h.folders.reduce((n, f) => n + f.chunks, 0),
    );
    assert.equal(h.vectors, h.chunks);
    for (const f of h.folders) {
      // The store's size on disk: at least the vectors themselves, and well under 2 KB a chunk beyond them.
      // int8 graph and codes: a 384-d chunk is at least its two int8 copies, and well under its float32 size plus metadata.
      assert.ok(
        f.storeBytes >= f.chunks * 384 * 2 && f.storeBytes < f.chunks * (384 * 2 + 1024) + 16384,
        `${f.storeBytes} bytes for ${f.chunks} chunks`,
      );
    }
    assert.ok(h.cache.misses > 0 && h.cache.hitRate >= 0 && h.cache.hitRate <= 1, JSON.stringify(h.cache));
    assert.ok(h.lastRun && h.lastRun.tokens > 0 && h.lastRun.tokensPerSecond > 0 && h.lastRun.embedded > 0, JSON.stringify(h.lastRun));
    assert.ok(h.workers.length >= 1);
    for (const w of h.workers) assert.ok(w.pid > 0 && w.rssMB > 0 && w.batches >= 0 && w.restarts === 0, JSON.stringify(w));
    assert.ok(h.workers.some(w => w.batches > 0));
    assert.deepEqual(h.model, { id: 'minilm-standin', dims: 384, maxChunkTokens: 256, inProcess: false });
  });

  it('reports the skipped build folders and the minified file, and lists files by status and reason', async () => {
    const main = (await health()).folders[0];
    assert.equal(main.files.skipped['excluded-folder'], 2, JSON.stringify(main.files));
    assert.equal(main.files.skipped.minified, 1, JSON.stringify(main.files));
    assert.equal(main.files.failed, 0);
    const minified = await server.connection.sendRequest(FilesRequest.type, { folder: uriOf(ws), status: 'skipped', reason: 'minified' });
    assert.deepEqual(
      minified.map(f => [f.path, f.uri]),
      [['src/vendor.js', uriOf(ws, 'src/vendor.js')]],
    );
    assert.match(minified[0].detail ?? '', /\w/);
    const excluded = await server.connection.sendRequest(FilesRequest.type, {
      folder: uriOf(ws),
      status: 'skipped',
      reason: 'excluded-folder',
    });
    assert.deepEqual(
      excluded.map(f => f.path),
      ['dist/', 'node_modules/'],
    );
    const indexed = await server.connection.sendRequest(FilesRequest.type, { folder: uriOf(ws), status: 'indexed' });
    assert.equal(indexed.length, main.files.indexed);
    assert.ok(indexed.find(f => f.path === 'src/inventory.py')!.chunks > 0);
  });

  it('finds a function from a few of its lines: its file URI and a 0-based range covering those lines', async () => {
    const text = fs.readFileSync(path.join(ws, 'src', 'inventory.py'), 'utf8');
    const want = linesInside(text, 'def remove(self, sku: str, count: int)', 1, 4);
    const res = await search({ query: want.query, k: 5 });
    assert.equal(res.partial, false);
    assert.equal(res.results.length, 5);
    const [top] = res.results;
    assert.equal(top.uri, uriOf(ws, 'src/inventory.py'), JSON.stringify(res.results.map(r => `${r.path}:${r.range.start.line}`)));
    assert.equal(top.path, 'src/inventory.py');
    assert.ok(
      top.range.start.line <= want.startLine - 1 && top.range.end.line >= want.endLine,
      `range ${JSON.stringify(top.range)} holds 1-based lines ${want.startLine}-${want.endLine}`,
    );
    assert.equal(top.range.start.character, 0);
    assert.ok(top.score > 0.5 && top.snippet.length > 0 && top.kind !== '', JSON.stringify(top));
    for (const r of res.results) assert.ok(r.uri.startsWith(`${uriOf(ws)}/`) || r.uri.startsWith(`${uriOf(second)}/`), r.uri);
  });

  it('searches in each mode: lexical finds a name, semantic and hybrid answer, and each result says why', async () => {
    const lexical = await search({ query: 'find_low_stock', k: 5, mode: 'lexical' });
    assert.equal(lexical.results[0].path, 'src/inventory.py');
    assert.equal(lexical.results[0].symbol, 'find_low_stock');
    assert.ok(
      lexical.results.every(r => r.why.lexical && !r.why.semantic),
      JSON.stringify(lexical.results.map(r => r.why)),
    );
    const semantic = await search({ query: 'remove items from the stock', k: 5, mode: 'semantic' });
    assert.equal(semantic.results.length, 5);
    assert.ok(semantic.results.every(r => r.why.semantic && !r.why.lexical));
    const hybrid = await search({ query: 'remove items from the stock', k: 5, mode: 'hybrid' });
    assert.ok(
      hybrid.results.some(r => r.why.lexical) && hybrid.results.some(r => r.why.semantic),
      JSON.stringify(hybrid.results.map(r => r.why)),
    );
    const byDefault = await search({ query: 'remove items from the stock', k: 5 });
    assert.deepEqual(
      byDefault.results.map(r => r.uri),
      hybrid.results.map(r => r.uri),
      'hybrid is the default',
    );
  });

  it('limits a search to one folder or to a glob', async () => {
    const inSecond = await search({ query: 'raise the minor version number', k: 3, folder: uriOf(second) });
    assert.ok(
      inSecond.results.length > 0 && inSecond.results.every(r => r.uri.startsWith(uriOf(second))),
      JSON.stringify(inSecond.results),
    );
    assert.equal(inSecond.results[0].path, 'tools/release.py');
    const py = await search({ query: 'remove items from the stock', k: 10, glob: '*.py' });
    assert.ok(py.results.length > 0 && py.results.every(r => r.path.endsWith('.py')), JSON.stringify(py.results.map(r => r.path)));
    const lib = await search({ query: 'remove items from the stock', k: 10, glob: 'lib/**' });
    assert.ok(lib.results.length > 0 && lib.results.every(r => r.path.startsWith('lib/')), JSON.stringify(lib.results.map(r => r.path)));
  });

  it('answers bad parameters with InvalidParams, and keeps serving', async () => {
    const bad: [string, () => Promise<unknown>, RegExp][] = [
      ['k = 0', () => search({ query: 'a queue', k: 0 }), /k must be a whole number from 1 to 1000/],
      [
        'an unknown mode',
        () => search({ query: 'a queue', k: 3, mode: 'fuzzy' as never }),
        /mode must be one of hybrid, lexical, semantic/,
      ],
      ['huge k', () => search({ query: 'a queue', k: 1e9 }), /k must be/],
      ['fractional k', () => search({ query: 'a queue', k: 2.5 }), /k must be/],
      ['empty query', () => search({ query: '', k: 5 }), /query is empty/],
      ['blank query', () => search({ query: '  \n ', k: 5 }), /query is empty/],
      ['query not a string', () => search({ query: 42 as unknown as string, k: 5 }), /query is empty/],
      ['unknown folder', () => search({ query: 'a queue', k: 5, folder: 'file:///etc' }), /not a workspace folder/],
      ['glob not a string', () => search({ query: 'a queue', k: 5, glob: 7 as unknown as string }), /glob must be a string/],
      [
        'files of an unknown folder',
        () => server.connection.sendRequest(FilesRequest.type, { folder: 'file:///etc', status: 'indexed' }),
        /workspace folder/,
      ],
      [
        'files with a bad status',
        () => server.connection.sendRequest(FilesRequest.type, { folder: uriOf(ws), status: 'lost' as 'failed' }),
        /status must be/,
      ],
      [
        'pause without a boolean',
        () => server.connection.sendRequest(PauseRequest.type, { paused: 'yes' as unknown as boolean }),
        /paused: boolean/,
      ],
      [
        'reindex of an unknown folder',
        () => server.connection.sendRequest(ReindexRequest.type, { folder: 'file:///etc' }),
        /workspace folder/,
      ],
    ];
    for (const [what, send, message] of bad) {
      await assert.rejects(
        send(),
        (e: ResponseError<unknown>) => {
          assert.equal(e.code, ErrorCodes.InvalidParams, `${what}: ${e.message}`);
          assert.match(e.message, message, what);
          return true;
        },
        what,
      );
    }
    assert.notEqual(LSPErrorCodes.RequestFailed, ErrorCodes.InvalidParams);
    assert.equal((await health()).state, 'idle');
  });

  it('lists a file group a folder level at a time, compacting folders that hold only one folder', async () => {
    const top = await server.connection.sendRequest(FileTreeRequest.type, { folder: uriOf(ws), status: 'indexed', dir: '' });
    const all = await server.connection.sendRequest(FilesRequest.type, { folder: uriOf(ws), status: 'indexed' });
    const underTop = top.dirs.reduce((n, d) => n + d.files, 0) + top.files.length;
    assert.equal(underTop, all.length, 'every indexed file is under exactly one top row');
    assert.ok(
      top.files.every(f => !f.path.includes('/')),
      JSON.stringify(top.files.map(f => f.path)),
    );
    const src = top.dirs.find(d => d.path === 'src');
    assert.ok(src, JSON.stringify(top.dirs));
    const level = await server.connection.sendRequest(FileTreeRequest.type, { folder: uriOf(ws), status: 'indexed', dir: 'src' });
    assert.equal(level.dirs.reduce((n, d) => n + d.files, 0) + level.files.length, src.files);
    assert.ok(
      level.files.some(f => f.path === 'src/inventory.py' && f.chunks > 0),
      JSON.stringify(level.files.map(f => f.path)),
    );
    await assert.rejects(
      server.connection.sendRequest(FileTreeRequest.type, { folder: uriOf(ws), status: 'indexed', dir: 'src/' }),
      /dir must be a folder path/,
    );
  });
});
