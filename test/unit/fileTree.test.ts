// The health view's folder tree (server/src/workspace/fileTree.ts): one level at a time, counts below each
// folder, folders that hold only one folder merged.

import * as assert from 'node:assert/strict';
import { treeLevel } from '../../server/src/workspace/fileTree';

const files = [
  'README.md',
  'src/a.ts',
  'src/util/b.ts',
  'src/util/c.ts',
  'app/src/main/java/org/x/A.java',
  'app/src/main/java/org/x/B.java',
  'app/build.gradle',
].map(path => ({ path }));

describe('file tree levels', () => {
  it('lists the top level: folders with the files below them, then the files', () => {
    const top = treeLevel(files, '');
    assert.deepEqual(top.dirs, [
      { path: 'app', files: 3 },
      { path: 'src', files: 3 },
    ]);
    assert.deepEqual(
      top.files.map(f => f.path),
      ['README.md'],
    );
  });

  it("lists a folder's level, and merges a chain of single folders into one row", () => {
    assert.deepEqual(treeLevel(files, 'src'), { dirs: [{ path: 'src/util', files: 2 }], files: [{ path: 'src/a.ts' }] });
    assert.deepEqual(treeLevel(files, 'app').dirs, [{ path: 'app/src/main/java/org/x', files: 2 }]);
    assert.deepEqual(
      treeLevel(files, 'app/src/main/java/org/x').files.map(f => f.path),
      ['app/src/main/java/org/x/A.java', 'app/src/main/java/org/x/B.java'],
    );
  });

  it('does not take a folder for the prefix of another ("src" is not "srcgen")', () => {
    const level = treeLevel([{ path: 'srcgen/a.ts' }, { path: 'src/b.ts' }], 'src');
    assert.deepEqual(level, { dirs: [], files: [{ path: 'src/b.ts' }] });
  });

  it('keeps every file under exactly one row at each level, for 1,000 files', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ path: `gen/pkg${i % 25}/f${i}.ts` }));
    const top = treeLevel(many, '');
    assert.deepEqual(top.dirs, [{ path: 'gen', files: 1000 }]);
    const gen = treeLevel(many, 'gen');
    assert.equal(gen.dirs.length, 25);
    assert.equal(
      gen.dirs.reduce((n, d) => n + d.files, 0),
      1000,
    );
  });
});
