// The embedding endpoint's API key as the extension hands it over from SecretStorage: in initializationOptions
// at start, then by semsearch/embeddingApiKey when it changes. A real endpoint on loopback records the
// Authorization header of each request; the health says where chunks go.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { EmbeddingApiKeyRequest } from '../../common/protocol';
import { MODEL, TestEndpoint } from '../unit/remoteEndpointFixture';
import { makeWorkspace, tempDir, uriOf } from './lspFixture';
import { LspServer } from './lspHarness';

describe('language server: the embedding endpoint\'s API key', function () {
  this.timeout(60_000);
  let ws: string;
  let storage: string;
  let endpoint: TestEndpoint;
  let server: LspServer;

  before(async () => {
    [ws, storage] = [tempDir('semsearch-lsp-key-'), tempDir('semsearch-lsp-key-storage-')];
    makeWorkspace(ws, false);
    endpoint = new TestEndpoint(() => ({ kind: 'vectors', dims: 64 }));
    await endpoint.start();
    server = await LspServer.start({
      folders: [{ uri: uriOf(ws), name: 'ws' }], storageDir: storage, initOptions: { embeddingApiKey: 'first-key' },
      config: { embeddingEndpoint: endpoint.url, embeddingModel: MODEL },
    });
    await server.waitForHealth(h => h.state === 'idle' && (h.folders[0]?.files.indexed ?? 0) > 0, 'the folder indexed through the endpoint');
  });

  after(async () => {
    await server?.stop();
    await endpoint?.stop();
    for (const dir of [ws, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends the key it was started with, and says in the health where chunks go', async () => {
    assert.ok(endpoint.requests > 0);
    assert.deepEqual([...new Set(endpoint.authorizations)], ['Bearer first-key']);
    assert.equal(server.latestHealth!.model.sendsChunksTo, endpoint.url);
    assert.match(server.latestHealth!.model.id, new RegExp(`^openai:${MODEL}:64$`));
  });

  it('uses a changed key from then on, connecting again', async () => {
    const seen = endpoint.authorizations.length;
    await server.connection.sendRequest(EmbeddingApiKeyRequest.type, { key: 'second-key' });
    await server.waitFor(() => (endpoint.authorizations.length > seen ? true : undefined), 'a request with the new key');
    assert.deepEqual([...new Set(endpoint.authorizations.slice(seen))], ['Bearer second-key']);
    await server.waitForHealth(h => h.state === 'idle' && h.model.dims === 64, 'the endpoint reconnected');
  });
});
