// The CLI with a damaged model (random bytes for the ONNX file, a cut-short tokenizer.json or config.json):
// one line on stderr naming the file and the fix, exit code 1, nothing indexed and no store written.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DAMAGE_MESSAGE, makeDamagedModel, type Damage } from '../helpers/damagedModel';
import { type CliRun, runCli } from '../helpers/cliRun';

/** The CLI with the damaged copy as its model. */
function run(args: string[], modelsDir: string): Promise<CliRun> {
  return runCli(args, { env: { SEMSEARCH_MODEL_DIR: modelsDir, SEMSEARCH_MODEL: 'damaged' } });
}

describe('CLI with a damaged model', function () {
  this.timeout(60_000);
  let tmp: string;
  let ws: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-damaged-'));
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, 'a.py'), 'def add_one(x):\n    """Adds one."""\n    return x + 1\n');
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const damage of ['onnx', 'tokenizer', 'config'] as Damage[]) {
    it(`${damage}: index fails with one line naming the file and the fix, and writes no index`, async () => {
      const models = makeDamagedModel(path.join(tmp, `models-${damage}`), damage);
      const store = path.join(tmp, `store-${damage}`);
      const r = await run(['index', ws, '--store', store], models);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0].replace(/^semsearch: /, ''), DAMAGE_MESSAGE[damage]);
      assert.ok(!fs.existsSync(path.join(store, 'manifest.json')), 'no index was saved');
      const search = await run(['search', 'add one', '--store', store], models);
      assert.equal(search.code, 1, search.stderr);
      assert.equal(search.stderr.trimEnd().split('\n').length, 1, search.stderr);
    });
  }
});
