// The scanner on real third-party files from node_modules: layouts and bundles nobody wrote for this test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSourceFile } from '../../server/src/engine/scanner/contentCheck';
import type { CandidateFile } from '../../server/src/engine/types';
import { collect, outcomes } from './scannerFixture';

const NODE_MODULES = path.resolve(__dirname, '../../../node_modules');
const OPTS = { maxFileBytes: 1024 * 1024, maxLineChars: 1000, indexDataFiles: false };

function packageDir(name: string, ctx: Mocha.Context): string {
  const dir = path.join(NODE_MODULES, name);
  if (!fs.existsSync(dir)) ctx.skip();
  return dir;
}

function candidate(dir: string, rel: string): CandidateFile {
  const st = fs.statSync(path.join(dir, rel));
  return { path: rel, absPath: path.join(dir, rel), size: st.size, mtimeMs: st.mtimeMs };
}

describe('scanner on real packages', () => {
  it('lru-cache: dist/ is an excluded folder and the package files are candidates', async function () {
    const got = outcomes(await collect(packageDir('lru-cache', this)));
    assert.equal(got.get('dist/'), 'excluded-folder');
    assert.equal(got.get('package.json'), 'file');
    assert.equal(got.get('README.md'), 'file');
    assert.deepEqual(
      [...got.keys()].filter(p => p.startsWith('dist/') && p !== 'dist/'),
      [],
    );
  });

  it('workerpool: every hand-written src/*.js file is a candidate and reads as source', async function () {
    const dir = packageDir('workerpool', this);
    const got = outcomes(await collect(dir));
    assert.equal(got.get('dist/'), 'excluded-folder');
    const srcJs = [...got.keys()].filter(p => p.startsWith('src/') && !p.startsWith('src/generated/') && p.endsWith('.js'));
    assert.ok(srcJs.length >= 5, srcJs.join(', '));
    for (const rel of srcJs) {
      assert.equal(got.get(rel), 'file', rel);
      const r = await readSourceFile(candidate(dir, rel), OPTS);
      assert.ok(r.ok, `${rel}: ${JSON.stringify(r)}`);
    }
  });

  it('workerpool: its shipped minified bundle is minified by content and its plain bundle is not', async function () {
    const dir = packageDir('workerpool', this);
    const minified = await readSourceFile(candidate(dir, 'dist/workerpool.min.js'), OPTS);
    assert.ok(!minified.ok && minified.reason === 'minified', JSON.stringify(minified));
    const plain = await readSourceFile(candidate(dir, 'dist/workerpool.js'), OPTS);
    assert.ok(plain.ok, JSON.stringify(!plain.ok && plain));
    // a 5-line comment header, then the minified worker as one string constant: generated, though named like source
    const embedded = await readSourceFile(candidate(dir, 'src/generated/embeddedWorker.js'), OPTS);
    assert.ok(!embedded.ok && embedded.reason === 'minified', JSON.stringify(embedded));
  });
});
