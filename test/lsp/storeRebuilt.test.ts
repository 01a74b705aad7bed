// A saved index the language server cannot use (here, a segment's graph file cut short on disk) is built again from
// nothing, and the health data says why, so a user who sees every chunk embedded again knows the reason.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeSecondFolder, tempDir, uriOf } from './lspFixture';
import { LspServer } from './lspHarness';

describe('language server: a damaged saved index', function () {
  this.timeout(60_000);
  let ws: string;
  let storage: string;

  before(() => {
    [ws, storage] = [tempDir('semsearch-lsp-rebuilt-'), tempDir('semsearch-lsp-rebuilt-storage-')];
    makeSecondFolder(ws);
  });
  after(() => {
    for (const dir of [ws, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is rebuilt, and the folder's health says why", async () => {
    const start = () => LspServer.start({ folders: [{ uri: uriOf(ws), name: 'ws' }], storageDir: storage });
    const first = await start();
    const saved = await first.waitForHealth(h => h.state === 'idle' && h.folders[0]?.files.indexed === 1, 'the first index');
    assert.equal(saved.folders[0].rebuilt, undefined, 'nothing to rebuild on a first run');
    assert.equal(await first.stop(), 0);

    const [store] = fs
      .readdirSync(storage)
      .map(d => path.join(storage, d))
      .filter(d => fs.existsSync(path.join(d, 'manifest.json')));
    const graph = fs.readdirSync(store).find(f => f.endsWith('.usearch'))!;
    fs.truncateSync(path.join(store, graph), 100);

    const second = await start();
    try {
      const h = await second.waitForHealth(
        x => x.state === 'idle' && x.folders[0]?.files.indexed === 1 && !!x.lastRun,
        'the rebuilt index',
      );
      assert.match(h.folders[0].rebuilt ?? '', /seg-\d+\.usearch is corrupted.*it is rebuilt\.$/);
      assert.equal(h.lastRun!.embedded, h.chunks, 'built again from nothing');
      assert.equal(second.logs.filter(l => /seg-\d+\.usearch is corrupted/.test(l)).length, 1, 'logged once');
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });
});
