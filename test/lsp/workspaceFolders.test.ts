// The real language server following workspace folders added and removed while it runs (multi-root).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DidChangeWorkspaceFoldersNotification } from 'vscode-languageserver-protocol/node';
import { SearchRequest } from '../../common/protocol';
import { makeSecondFolder, tempDir, uriOf, writeFile } from './lspFixture';
import { LspServer } from './lspHarness';

describe('language server: workspace folders added and removed', function () {
  this.timeout(60_000);
  let first: string;
  let added: string;
  let storage: string;
  let server: LspServer;

  before(async () => {
    [first, added, storage] = [tempDir('semsearch-lsp-f1-'), tempDir('semsearch-lsp-f2-'), tempDir('semsearch-lsp-f-storage-')];
    makeSecondFolder(first);
    writeFile(
      added,
      'queue.ts',
      'export class RingQueue<T> {\n  private items: T[] = [];\n  push(item: T): void { this.items.push(item); }\n  shift(): T | undefined { return this.items.shift(); }\n}\n',
    );
    server = await LspServer.start({ folders: [{ uri: uriOf(first), name: 'first' }], storageDir: storage });
    await server.waitForHealth(
      h => h.state === 'idle' && h.folders.length === 1 && h.folders[0].files.indexed === 1,
      'the first folder indexed',
    );
  });

  after(async () => {
    await server?.stop();
    for (const dir of [first, added, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes a folder added to the workspace into its own store, and forgets a removed one', async () => {
    await server.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: uriOf(added), name: 'added' }], removed: [] },
    });
    const both = await server.waitForHealth(
      h => h.state === 'idle' && h.folders.length === 2 && h.folders[1].files.indexed === 1,
      'the added folder indexed',
    );
    assert.equal(both.folders[1].uri, uriOf(added));
    const res = await server.connection.sendRequest(SearchRequest.type, {
      query: 'push(item: T): void { this.items.push(item); }',
      k: 1,
      folder: uriOf(added),
    });
    assert.equal(res.results[0].uri, uriOf(added, 'queue.ts'));

    await server.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [], removed: [{ uri: uriOf(first), name: 'first' }] },
    });
    const one = await server.waitForHealth(h => h.folders.length === 1, 'the removed folder gone');
    assert.equal(one.folders[0].uri, uriOf(added));
    const rest = await server.connection.sendRequest(SearchRequest.type, { query: 'bump the version', k: 5 });
    assert.ok(
      rest.results.every(r => r.uri.startsWith(uriOf(added))),
      JSON.stringify(rest.results),
    );
  });
});
