// Two language servers (two windows) on one workspace and one storage folder: the second finds the store
// held, says so in the health, answers searches from the saved index without writing it, and takes the
// store over and indexes once the first server exits.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { HealthRequest, SearchRequest } from '../../common/protocol';
import { makeWorkspace, tempDir, uriOf } from './lspFixture';
import { LspServer } from './lspHarness';

describe('language server: two windows, one workspace', function () {
  this.timeout(60_000);
  let ws: string;
  let storage: string;
  const servers: LspServer[] = [];
  const start = async () => {
    const s = await LspServer.start({ folders: [{ uri: uriOf(ws), name: 'main' }], storageDir: storage });
    servers.push(s);
    return s;
  };

  before(() => {
    [ws, storage] = [tempDir('semsearch-lsp-lock-ws-'), tempDir('semsearch-lsp-lock-storage-')];
    makeWorkspace(ws, false);
  });

  after(async () => {
    for (const s of servers) await s.stop();
    for (const dir of [ws, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The log line a finished run writes ("Indexed main: 3 files, ..."). */
  const ranIndex = (line: string) => /^Indexed \S+: /.test(line);

  it("the second server reads the first one's saved index, reports the lock, and indexes once it frees", async () => {
    const first = await start();
    const done = await first.waitForHealth(h => h.state === 'idle' && h.folders[0]?.files.indexed > 0, 'the first server idle');
    assert.equal(done.folders[0].lockedBy, undefined, 'the first server holds its own store');

    const second = await start();
    const h = await second.waitForHealth(
      x => x.state === 'idle' && x.folders[0]?.lockedBy !== undefined,
      'the second server reporting the lock',
    );
    assert.equal(h.folders[0].lockedBy!.pid, first.child.pid);
    assert.ok(!Number.isNaN(Date.parse(h.folders[0].lockedBy!.since)), h.folders[0].lockedBy!.since);
    assert.equal(h.folders[0].chunks, done.folders[0].chunks, 'the saved index was loaded');
    assert.ok(!second.logs.some(ranIndex), 'the read-only server does not index');
    const r = await second.connection.sendRequest(SearchRequest.type, { query: 'read the next message from the stream', k: 3 });
    assert.ok(r.results.length > 0, 'searches answer from the saved index');

    assert.equal(await first.stop(), 0);
    const after = await second.waitForHealth(
      x => x.state === 'idle' && x.folders[0]?.lockedBy === undefined && second.logs.some(ranIndex),
      'the second server taking over',
    );
    assert.equal(after.folders[0].chunks, done.folders[0].chunks);
    assert.equal((await second.connection.sendRequest(HealthRequest.type)).folders[0].lockedBy, undefined);
  });
});
