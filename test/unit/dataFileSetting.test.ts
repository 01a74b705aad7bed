// The indexDataFiles setting through the engine: off, data files are skipped as 'data-file'; turned on, the
// next run indexes them; turned off again, the next run takes them out of the index, including a JSON table
// whose size and mtime never changed (the rule judges it by content, so it is read again).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../common/settings';
import { Engine } from '../../server/src/engine/engine';
import { PROJECT_ROOT } from '../helpers/standin';

const DATA = ['data/table.json', 'package-lock.json', 'assets/logo.svg', 'data/users.csv'];

function makeWorkspace(root: string): void {
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.copyFileSync(path.join(PROJECT_ROOT, 'test/fixtures/chunker/inventory.py'), path.join(root, 'src/inventory.py'));
  write('package.json', '{\n  "name": "shop",\n  "version": "1.0.0",\n  "dependencies": { "left-pad": "1.3.0" }\n}\n');
  write(
    'data/table.json',
    JSON.stringify(
      Array.from({ length: 600 }, (_, i) => ({ sku: `item-${i}`, stock: i })),
      null,
      1,
    ),
  );
  write('package-lock.json', '{\n  "name": "shop",\n  "lockfileVersion": 3,\n  "packages": {}\n}\n');
  write('assets/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">\n  <circle cx="8" cy="8" r="7"/>\n</svg>\n');
  write('data/users.csv', 'id,name\n1,Ada\n2,Grace\n');
}

describe('indexDataFiles through the engine', function () {
  this.timeout(120_000);
  let tmp: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-datafiles-'));
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('skips data files by default, indexes them once turned on, and takes them out again once turned off', async () => {
    const ws = path.join(tmp, 'workspace');
    makeWorkspace(ws);
    const settings = { ...DEFAULT_SETTINGS };
    const engine = await Engine.open({ settings });
    try {
      const folder = engine.folder(ws, path.join(tmp, 'store'), true);
      const statusOf = () => new Map(folder.files().map(f => [f.path, `${f.status} ${f.reason}`.trim()]));

      await folder.index();
      let got = statusOf();
      for (const rel of DATA) assert.equal(got.get(rel), 'skipped data-file', rel);
      assert.equal(got.get('package.json'), 'indexed', 'small configuration JSON stays indexed');
      assert.equal(got.get('src/inventory.py'), 'indexed');

      engine.updateSettings({ ...settings, indexDataFiles: true });
      await folder.index();
      got = statusOf();
      for (const rel of DATA) assert.equal(got.get(rel), 'indexed', rel);

      engine.updateSettings({ ...settings, indexDataFiles: false });
      await folder.index();
      got = statusOf();
      for (const rel of DATA) assert.equal(got.get(rel), 'skipped data-file', rel);
      assert.equal(
        folder
          .files()
          .filter(f => DATA.includes(f.path))
          .reduce((n, f) => n + f.chunks, 0),
        0,
        'their chunks left the index',
      );
      assert.equal(got.get('package.json'), 'indexed');
    } finally {
      await engine.dispose();
    }
  });
});
