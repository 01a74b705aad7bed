// The real language server without its model: it stays up in the error state with a one-line message naming
// the missing files (no crash, no retry loop), refuses searches with that message, and recovers when the
// model setting points at a model that exists, without a restart. A model semsearch knows is offered for
// download and fetched on request (from a loopback hub, checksum-checked); a damaged one is its own problem.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeConfigurationNotification, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { DownloadModelRequest, HealthRequest, SearchRequest } from '../../common/protocol';
import { FakeModelHub } from '../helpers/fakeModelHub';
import { FIXTURE_VOCAB, writeStaticModel } from '../helpers/staticModelFixture';
import { standinModelsDir } from '../helpers/standin';
import { makeSecondFolder, tempDir, uriOf } from './lspFixture';
import { LspServer } from './lspHarness';

describe('language server: a missing model', function () {
  this.timeout(60_000);
  let ws: string;
  let storage: string;
  let server: LspServer;

  before(async () => {
    [ws, storage] = [tempDir('semsearch-lsp-nomodel-'), tempDir('semsearch-lsp-nomodel-storage-')];
    makeSecondFolder(ws);
    server = await LspServer.start({
      folders: [{ uri: uriOf(ws), name: 'ws' }],
      storageDir: storage,
      env: { SEMSEARCH_MODEL: 'no-such-model' },
    });
  });

  after(async () => {
    assert.equal(await server?.stop(), 0);
    for (const dir of [ws, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the error state with one line naming the missing files, and stays up', async () => {
    const h = await server.waitForHealth(x => x.state === 'error', 'the error state');
    assert.match(
      h.message ?? '',
      /Model "no-such-model" is missing config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model_quantized\.onnx in /,
    );
    assert.ok(!(h.message ?? '').includes('\n'), 'one line');
    assert.deepEqual(h.workers, []);
    assert.deepEqual(
      h.problem,
      { kind: 'model-missing', modelId: 'no-such-model', canDownload: false },
      'the client can offer the other fixes, not a download',
    );
    assert.equal(server.progress.size, 0, 'no indexing began');
    assert.equal((await server.connection.sendRequest(HealthRequest.type)).state, 'error', 'the server still answers');
    assert.equal(server.child.exitCode, null);
  });

  it('refuses a search with that message', async () => {
    await assert.rejects(
      server.connection.sendRequest(SearchRequest.type, { query: 'bump the version', k: 3 }),
      (e: ResponseError<unknown>) => {
        assert.equal(e.code, LSPErrorCodes.RequestFailed);
        assert.match(e.message, /no-such-model" is missing/);
        return true;
      },
    );
  });

  it('loads the model named by a changed setting and indexes, without a restart', async () => {
    server.config.modelId = 'minilm-standin';
    await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const h = await server.waitForHealth(x => x.state === 'idle' && x.folders[0].files.indexed === 1, 'the folder indexed');
    assert.equal(h.message, undefined);
    assert.equal(h.problem, undefined);
    assert.equal(h.model.id, 'minilm-standin');
    const res = await server.connection.sendRequest(SearchRequest.type, { query: 'bump the version', k: 3 });
    assert.equal(res.results[0].path, 'tools/release.py');
  });
});

describe('language server: a model that can be downloaded', function () {
  this.timeout(60_000);
  const MODEL = 'Xenova/all-MiniLM-L6-v2';
  let ws: string;
  let storage: string;
  let models: string;
  let hub: FakeModelHub;
  let server: LspServer;

  before(async () => {
    [ws, storage, models] = [tempDir('semsearch-lsp-dl-'), tempDir('semsearch-lsp-dl-storage-'), tempDir('semsearch-lsp-dl-models-')];
    makeSecondFolder(ws);
    hub = new FakeModelHub(MODEL, path.join(standinModelsDir(), 'minilm-standin'));
    const base = await hub.start();
    server = await LspServer.start({
      folders: [{ uri: uriOf(ws), name: 'ws' }],
      storageDir: storage,
      env: { SEMSEARCH_MODEL: MODEL, SEMSEARCH_MODEL_DIR: models, SEMSEARCH_MODEL_BASE_URL: base },
    });
  });

  after(async () => {
    assert.equal(await server?.stop(), 0);
    await hub?.stop();
    for (const dir of [ws, storage, models]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the missing model as a problem the client can offer to download', async () => {
    const h = await server.waitForHealth(x => x.state === 'error', 'the error state');
    assert.deepEqual(h.problem, { kind: 'model-missing', modelId: MODEL, canDownload: true });
    assert.deepEqual(
      h.folders.map(f => f.chunks),
      [0],
    );
  });

  it('downloads on request from the configured hub, checks the checksum, and keeps nothing unverified', async () => {
    await assert.rejects(server.connection.sendRequest(DownloadModelRequest.type, {}), (e: ResponseError<unknown>) => {
      assert.equal(e.code, LSPErrorCodes.RequestFailed);
      assert.match(
        e.message,
        /^Checksum mismatch for onnx\/model_quantized\.onnx|^Downloading onnx\/model_quantized\.onnx .*bytes/,
        e.message,
      );
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    });
    assert.ok(
      hub.requests.some(r => r.endsWith('/onnx/model_quantized.onnx')),
      JSON.stringify(hub.requests),
    );
    assert.ok(
      !fs.existsSync(path.join(models, ...MODEL.split('/'), 'onnx', 'model_quantized.onnx')),
      'no unverified model file under its final name',
    );
    const h = await server.connection.sendRequest(HealthRequest.type);
    assert.equal(h.problem?.kind, 'model-missing', 'still missing');
    assert.ok(
      server.logs.some(l => /Downloading the model failed: /.test(l)),
      server.logs.join('\n'),
    );
  });
});

describe('language server: a damaged model', function () {
  this.timeout(60_000);
  let ws: string;
  let storage: string;
  let models: string;
  let server: LspServer;

  before(async () => {
    [ws, storage, models] = [
      tempDir('semsearch-lsp-damaged-'),
      tempDir('semsearch-lsp-damaged-storage-'),
      tempDir('semsearch-lsp-damaged-models-'),
    ];
    makeSecondFolder(ws);
    const dir = writeStaticModel(
      path.join(models, 'tiny-static'),
      FIXTURE_VOCAB.map((_, i) => [i % 3, 1, -1, 2]),
      FIXTURE_VOCAB.map(() => 0.01),
    );
    fs.appendFileSync(path.join(dir, 'vectors.i8'), Buffer.from([1, 2, 3])); // a truncated or overwritten file: its size and checksum no longer match
    server = await LspServer.start({
      folders: [{ uri: uriOf(ws), name: 'ws' }],
      storageDir: storage,
      env: { SEMSEARCH_MODEL: 'tiny-static', SEMSEARCH_MODEL_DIR: models },
    });
  });

  after(async () => {
    assert.equal(await server?.stop(), 0);
    for (const dir of [ws, storage, models]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the damage as its own problem, in one line naming the file, with no download to offer', async () => {
    const h = await server.waitForHealth(x => x.state === 'error', 'the error state');
    assert.deepEqual(h.problem, { kind: 'model-damaged', modelId: 'tiny-static', canDownload: false });
    assert.match(h.message ?? '', /vectors\.i8/);
    assert.ok(!(h.message ?? '').includes('\n'), 'one line');
  });
});
