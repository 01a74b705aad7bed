// The language server on a disk that refuses the store's writes: the folder's health carries the one-line
// error and the log says it once, search keeps answering from memory, and once the disk takes writes again
// the server's retry saves the index and the error leaves the health. The disk fault is injected through
// SEMSEARCH_TEST_STORE_FAULT_FILE (see server/src/engine/store/storeFs.ts): the tests run as root.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SearchRequest } from '../../common/protocol';
import { makeWorkspace, tempDir, uriOf } from './lspFixture';
import { LspServer } from './lspHarness';

function storeFilesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map(p => path.basename(p))
    .filter(n => n === 'manifest.json' || n.endsWith('.tmp'));
}

describe('language server: the store cannot be written', function () {
  this.timeout(60_000);
  let ws: string;
  let storage: string;
  let server: LspServer | undefined;

  before(() => {
    [ws, storage] = [tempDir('semsearch-lsp-storefail-ws-'), tempDir('semsearch-lsp-storefail-storage-')];
    makeWorkspace(ws, false);
  });

  after(async () => {
    await server?.stop();
    for (const dir of [ws, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reports a full disk in the folder's health, keeps searching, and clears once a retry saves", async () => {
    const fault = path.join(storage, 'disk-full');
    fs.writeFileSync(fault, 'ENOSPC');
    // The retry between runs waits one checkpoint interval: short here, so the test need not wait 30 s.
    server = await LspServer.start({
      folders: [{ uri: uriOf(ws), name: 'main' }],
      storageDir: storage,
      env: { SEMSEARCH_TEST_STORE_FAULT_FILE: fault, SEMSEARCH_CHECKPOINT_MS: '200' },
    });
    const s = server;
    const failed = await s.waitForHealth(
      h => h.state === 'idle' && h.folders[0]?.files.indexed > 0 && h.folders[0].storeError !== undefined,
      'idle with a store error',
    );
    assert.match(
      failed.folders[0].storeError!,
      /^Could not save the index of .* to .*: no space left on device \(ENOSPC\)\. Free some disk space\. Indexing goes on and the save is retried\.$/,
    );
    assert.equal(s.logs.filter(l => l.includes('no space left on device')).length, 1, `logged once:\n${s.logs.join('\n')}`);
    assert.deepEqual(storeFilesUnder(storage), [], 'nothing half-written on disk');
    const r = await s.connection.sendRequest(SearchRequest.type, { query: 'read the next message from the stream', k: 3 });
    assert.ok(r.results.length > 0, 'search answers from the index in memory');

    fs.rmSync(fault); // the disk is freed
    const cleared = await s.waitForHealth(h => h.folders[0]?.storeError === undefined, 'the store error cleared');
    assert.equal(cleared.folders[0].chunks, failed.folders[0].chunks);
    assert.ok(
      s.logs.some(l => /The index of main is saved again/.test(l)),
      s.logs.join('\n'),
    );
    assert.deepEqual(storeFilesUnder(storage), ['manifest.json']);
  });
});
