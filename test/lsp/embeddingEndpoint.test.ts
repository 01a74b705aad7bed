// The language server with an embedding endpoint (a real one on loopback that records each request's
// Authorization header): the API key as the extension hands it over from SecretStorage (initializationOptions
// at start, semsearch/embeddingApiKey when it changes), the health saying where chunks go, and an endpoint
// that goes away while an edit is followed: the error state with one line, not a folder quietly half-indexed.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { EmbeddingApiKeyRequest } from '../../common/protocol';
import { MODEL, TestEndpoint } from '../unit/remoteEndpointFixture';
import { makeWorkspace, tempDir, uriOf, writeFile } from './lspFixture';
import { LspServer } from './lspHarness';

describe('language server: an embedding endpoint', function () {
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
      folders: [{ uri: uriOf(ws), name: 'ws' }],
      storageDir: storage,
      initOptions: { embeddingApiKey: 'first-key' },
      config: { embeddingEndpoint: endpoint.url, embeddingModel: MODEL },
      // Gives up on a dead endpoint after 8 tries within a second or so, not a minute.
      env: { SEMSEARCH_EMBEDDING_BACKOFF_MS: '5' },
    });
    await server.waitForHealth(
      h => h.state === 'idle' && (h.folders[0]?.files.indexed ?? 0) > 0,
      'the folder indexed through the endpoint',
    );
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

  it('goes to its error state, in one line, when the endpoint is gone while it follows an edit', async () => {
    await endpoint.stop();
    writeFile(ws, 'src/added/late.ts', 'export function lateArrival(x: number): number {\n  return x * 2 + 1;\n}\n');
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(ws, 'src/added/late.ts'), type: FileChangeType.Created }],
    });
    const h = await server.waitForHealth(x => x.state === 'error', 'the error state');
    assert.match(
      h.message ?? '',
      /^The embedding endpoint http:\/\/127\.0\.0\.1:\d+\/v1 could not be reached \(.*\) \(8 tries\); start it or correct embeddingEndpoint/,
    );
    assert.ok(!(h.message ?? '').includes('\n'), 'one line');
  });
});
