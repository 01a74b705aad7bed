// The real language server without its model: it stays up in the error state with a one-line message naming
// the missing files (no crash, no retry loop), refuses searches with that message, and recovers when the
// model setting points at a model that exists, without a restart.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DidChangeConfigurationNotification, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { HealthRequest, SearchRequest } from '../../common/protocol';
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
    server = await LspServer.start({ folders: [{ uri: uriOf(ws), name: 'ws' }], storageDir: storage, env: { SEMSEARCH_MODEL: 'no-such-model' } });
  });

  after(async () => {
    assert.equal(await server?.stop(), 0);
    for (const dir of [ws, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the error state with one line naming the missing files, and stays up', async () => {
    const h = await server.waitForHealth(x => x.state === 'error', 'the error state');
    assert.match(h.message ?? '', /Model "no-such-model" is missing config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model_quantized\.onnx in /);
    assert.ok(!(h.message ?? '').includes('\n'), 'one line');
    assert.deepEqual(h.workers, []);
    assert.equal(server.progress.size, 0, 'no indexing began');
    assert.equal((await server.connection.sendRequest(HealthRequest.type)).state, 'error', 'the server still answers');
    assert.equal(server.child.exitCode, null);
  });

  it('refuses a search with that message', async () => {
    await assert.rejects(server.connection.sendRequest(SearchRequest.type, { query: 'bump the version', k: 3 }), (e: ResponseError<unknown>) => {
      assert.equal(e.code, LSPErrorCodes.RequestFailed);
      assert.match(e.message, /no-such-model" is missing/);
      return true;
    });
  });

  it('loads the model named by a changed setting and indexes, without a restart', async () => {
    server.config.modelId = 'minilm-standin';
    await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const h = await server.waitForHealth(x => x.state === 'idle' && x.folders[0].files.indexed === 1, 'the folder indexed');
    assert.equal(h.message, undefined);
    assert.equal(h.model.id, 'minilm-standin');
    const res = await server.connection.sendRequest(SearchRequest.type, { query: 'bump the version', k: 3 });
    assert.equal(res.results[0].path, 'tools/release.py');
  });
});
