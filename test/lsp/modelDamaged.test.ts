// The real language server with a damaged model (random bytes for the ONNX file, a cut-short tokenizer.json
// or config.json): it stays up in the error state with one line naming the file and the fix, refuses
// searches with it, starts no workers in a loop, and tries again only when asked (Reindex).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { HealthRequest, ReindexRequest, SearchRequest } from '../../common/protocol';
import { DAMAGE_MESSAGE, makeDamagedModel, type Damage } from '../helpers/damagedModel';
import { makeSecondFolder, tempDir, uriOf } from './lspFixture';
import { LspServer } from './lspHarness';

describe('language server: a damaged model', function () {
  this.timeout(60_000);
  let tmp: string;
  let ws: string;

  before(() => {
    tmp = tempDir('semsearch-lsp-damaged-');
    ws = path.join(tmp, 'ws');
    makeSecondFolder(ws);
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const damage of ['onnx', 'tokenizer', 'config'] as Damage[]) {
    it(`${damage}: the error state with one line naming the file; no worker loop; Reindex tries once more`, async () => {
      const models = makeDamagedModel(path.join(tmp, `models-${damage}`), damage);
      const server = await LspServer.start({
        folders: [{ uri: uriOf(ws), name: 'ws' }],
        storageDir: path.join(tmp, `storage-${damage}`),
        env: { SEMSEARCH_MODEL_DIR: models, SEMSEARCH_MODEL: 'damaged' },
      });
      try {
        const h = await server.waitForHealth(x => x.state === 'error', 'the error state');
        assert.match(h.message ?? '', DAMAGE_MESSAGE[damage]);
        assert.deepEqual(h.workers, [], 'no worker is left running');
        await assert.rejects(
          server.connection.sendRequest(SearchRequest.type, { query: 'bump the version', k: 3 }),
          (e: ResponseError<unknown>) => {
            assert.equal(e.code, LSPErrorCodes.RequestFailed);
            assert.match(e.message, DAMAGE_MESSAGE[damage]);
            return true;
          },
        );
        const logged = () => server.logs.filter(l => DAMAGE_MESSAGE[damage].test(l.replace(/^.*?(Could not|Model ")/, '$1'))).length;
        const errorsBefore = logged();
        assert.ok(errorsBefore >= 1, `the error is in the log:\n${server.logs.join('\n')}`);
        const healthsBefore = server.healths.length;

        // Reindex is the user's "try again": one more attempt, the same error, and then quiet again.
        await server.connection.sendRequest(ReindexRequest.type, {});
        await server.waitFor(() => server.healths.slice(healthsBefore).find(x => x.state === 'error'), 'the error state again');
        const again = await server.connection.sendRequest(HealthRequest.type);
        assert.equal(again.state, 'error');
        assert.match(again.message ?? '', DAMAGE_MESSAGE[damage]);
        assert.deepEqual(again.workers, []);
        const errorsAfter = logged();
        assert.ok(errorsAfter - errorsBefore <= 1, `one more attempt logged, not a loop: ${errorsAfter - errorsBefore}`);
        assert.equal(server.child.exitCode, null, 'the server is still running');
      } finally {
        assert.equal(await server.stop(), 0);
      }
    });
  }
});
