// The real language server with no model configured at all: no setting, no SEMSEARCH_* variable and an empty
// models folder. It must index with the model shipped in the package (in process: no worker starts) and answer
// a question asked in plain words with the file that does it.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MODEL_ID } from '../../common/settings';
import { HealthRequest, SearchParams, SearchRequest } from '../../common/protocol';
import { makeWorkspace, tempDir, uriOf } from './lspFixture';
import { LspServer } from './lspHarness';

describe('language server: the embedded model, zero configuration', function () {
  this.timeout(60_000);
  let ws: string;
  let storage: string;
  let emptyModels: string;
  let server: LspServer;
  const search = (p: SearchParams) => server.connection.sendRequest(SearchRequest.type, p);

  before(async () => {
    [ws, storage, emptyModels] = [tempDir('semsearch-lsp-ws-'), tempDir('semsearch-lsp-storage-'), tempDir('semsearch-lsp-models-')];
    makeWorkspace(ws, false);
    server = await LspServer.start({
      folders: [{ uri: uriOf(ws), name: 'main' }],
      storageDir: storage,
      env: { SEMSEARCH_MODEL: '', SEMSEARCH_MODEL_DIR: emptyModels },
    });
    await server.waitForHealth(
      h => h.state === 'idle' && h.folders.length === 1 && h.folders[0].files.indexed > 0,
      'idle with the folder indexed',
    );
  });

  after(async () => {
    await server?.stop();
    for (const dir of [ws, storage, emptyModels]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes with the shipped model, in process', async () => {
    const h = await server.connection.sendRequest(HealthRequest.type);
    assert.match(h.model.id, new RegExp(`^${DEFAULT_MODEL_ID}@[0-9a-f]{8}$`), "the id carries the rows' fingerprint");
    assert.ok(h.model.dims >= 128 && h.model.inProcess, JSON.stringify(h.model));
    assert.deepEqual(h.workers, [], 'no embedder worker process');
    assert.equal(h.vectors, h.chunks);
    assert.deepEqual(fs.readdirSync(emptyModels), [], 'nothing was downloaded or written into the models folder');
  });

  // Words that are not the code's: ringbuf.c says "ring buffer", rb_push, head and tail; inventory.py says
  // sku, quantity and restock.
  for (const [query, file] of [
    ['circular queue of bytes', 'ringbuf.c'],
    ['items running out in the warehouse', 'inventory.py'],
  ]) {
    it(`answers "${query}" with ${file} first, by meaning alone and fused`, async () => {
      for (const mode of ['semantic', 'hybrid'] as const) {
        const res = await search({ query, k: 5, mode });
        assert.equal(path.basename(res.results[0]?.path ?? ''), file, `${mode}: ${JSON.stringify(res.results.map(r => r.path))}`);
      }
    });
  }
});
