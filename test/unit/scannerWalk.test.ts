import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { scanPath } from '../../server/src/engine/scanner/pathScan';
import type { WalkEvent } from '../../server/src/engine/scanner/walker';
import { collect, makeTree, outcomes, pathOf, removeTrees } from './scannerFixture';

const MB = 1024 * 1024;

describe('scanner walk', () => {
  after(removeTrees);

  it('reports default excluded folders once and never descends into them', async () => {
    const root = makeTree({
      'node_modules/pkg/index.js': 'x',
      'dist/a.js': 'x',
      '.git/HEAD': 'ref',
      'build/b.ts': 'x',
      'src/coverage/c.ts': 'x',
      'vendor/bundle/gem.rb': 'x',
      'vendor/lib.rb': 'x',
      'src/a.ts': 'x',
    });
    const got = outcomes(await collect(root));
    for (const folder of ['node_modules/', 'dist/', '.git/', 'build/', 'src/coverage/', 'vendor/bundle/']) {
      assert.equal(got.get(folder), 'excluded-folder', folder);
      assert.deepEqual(
        [...got.keys()].filter(p => p.startsWith(folder) && p !== folder),
        [],
        folder,
      );
    }
    assert.equal(got.get('src/a.ts'), 'file');
    assert.equal(got.get('vendor/lib.rb'), 'file');
  });

  it('applies nested .gitignore files relative to their folder, with negations', async () => {
    const root = makeTree({
      '.gitignore': '*.log\n!keep.log\nignored-dir/\n!ignored-dir/back.ts\n',
      'a.log': 'x',
      'keep.log': 'x',
      'ignored-dir/back.ts': 'x',
      'sub/.gitignore': 'gen/\n!important.log\n',
      'sub/gen/x.ts': 'x',
      'sub/deep/gen/y.ts': 'x',
      'sub/b.log': 'x',
      'sub/important.log': 'x',
      'sub/keep.ts': 'x',
      'gen/z.ts': 'x',
    });
    const got = outcomes(await collect(root));
    assert.equal(got.get('a.log'), 'gitignored');
    assert.equal(got.get('keep.log'), 'file');
    assert.equal(got.get('sub/b.log'), 'gitignored');
    assert.equal(got.get('sub/important.log'), 'file', 'a deeper .gitignore overrides a shallower one');
    assert.equal(got.get('sub/gen/'), 'gitignored');
    assert.equal(got.get('sub/deep/gen/'), 'gitignored');
    assert.equal(got.get('gen/z.ts'), 'file', 'sub/.gitignore does not reach outside sub/');
    assert.equal(got.get('ignored-dir/'), 'gitignored');
    assert.equal(got.has('ignored-dir/back.ts'), false, 'git cannot re-include a file inside an excluded folder');
    assert.equal(got.has('sub/gen/x.ts'), false);
  });

  it('applies the user exclude globs relative to the root', async () => {
    const root = makeTree({ 'docs/a.md': 'x', 'a.snap': 'x', 'sub/b.snap': 'x', 'top.ts': 'x', 'sub/top.ts': 'x' });
    const got = outcomes(await collect(root, { excludeGlobs: ['docs/', '*.snap', '/top.ts'] }));
    assert.equal(got.get('docs/'), 'user-excluded');
    assert.equal(got.has('docs/a.md'), false);
    assert.equal(got.get('a.snap'), 'user-excluded');
    assert.equal(got.get('sub/b.snap'), 'user-excluded');
    assert.equal(got.get('top.ts'), 'user-excluded');
    assert.equal(got.get('sub/top.ts'), 'file');
  });

  it('skips generated files by name, and only those named so (lock files are data files: scannerDataFiles.test.ts)', async () => {
    const generated = ['app.min.js', 'site.min.css', 'app.js.map', 'tsconfig.tsbuildinfo'];
    const kept = ['bundle.js', 'package.json', 'lock.ts', 'map.ts'];
    const root = makeTree(Object.fromEntries([...generated, ...kept].map(n => [n, 'x'])));
    const got = outcomes(await collect(root));
    for (const n of generated) assert.equal(got.get(n), 'generated', n);
    for (const n of kept) assert.equal(got.get(n), 'file', n);
  });

  it('skips binary file types by extension, case-insensitively', async () => {
    const binary = ['logo.png', 'LOGO.PNG', 'font.woff2', 'lib.so', 'model.onnx', 'a.pdf', 'x.tar.gz', 'Main.class', 'db.sqlite'];
    const root = makeTree(Object.fromEntries([...binary, 'png.ts', 'Makefile'].map(n => [n, 'x'])));
    const got = outcomes(await collect(root));
    for (const n of binary) assert.equal(got.get(n), 'binary', n);
    assert.equal(got.get('png.ts'), 'file');
    assert.equal(got.get('Makefile'), 'file');
  });

  it('skips a file over the size cap by its size, with both sizes in the detail', async () => {
    const root = makeTree({ 'big.ts': Buffer.alloc(2 * MB, 'a'), 'small.ts': 'x' });
    const events = await collect(root, { maxFileBytes: MB });
    const big = events.find(e => pathOf(e) === 'big.ts');
    assert.ok(big && big.kind === 'skip');
    assert.equal(big.report.reason, 'too-large');
    assert.equal(big.report.status, 'skipped');
    assert.equal(big.report.chunks, 0);
    assert.equal(big.report.detail, 'Over the 1 MB size cap (2 MB); raise maxFileSizeMB to index it.');
  });

  it('does not follow a folder symlink, so a loop terminates', async () => {
    const root = makeTree({ 'a/x.ts': 'x' });
    fs.symlinkSync('..', path.join(root, 'a', 'loop'));
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'alias'));
    const got = outcomes(await collect(root));
    assert.equal(got.get('a/loop/'), 'symlinked-folder');
    assert.equal(got.get('alias/'), 'symlinked-folder');
    assert.deepEqual([...got.keys()], ['a/loop/', 'a/x.ts', 'alias/']);
  });

  it('indexes a symlink to a file with the size and mtime of its target', async () => {
    const root = makeTree({ 'real.ts': 'hello world' });
    fs.symlinkSync('real.ts', path.join(root, 'link.ts'));
    const link = (await collect(root)).find(e => pathOf(e) === 'link.ts');
    assert.ok(link && link.kind === 'file');
    assert.equal(link.file.size, 11);
    assert.equal(link.file.absPath, path.join(root, 'link.ts'));
  });

  it('skips a file symlink whose target is outside the folder as outside-folder, naming the target', async () => {
    const outside = makeTree({ 'secret.ts': 'export const token = "outside";\n' });
    const root = makeTree({ 'src/real.ts': 'x', 'src/inner/deep.ts': 'x' });
    const target = fs.realpathSync(path.join(outside, 'secret.ts'));
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'abs-out.ts'));
    fs.symlinkSync(path.relative(path.join(root, 'src'), path.join(outside, 'secret.ts')), path.join(root, 'src', 'rel-out.ts'));
    fs.symlinkSync('real.ts', path.join(root, 'src', 'same-folder.ts'));
    fs.symlinkSync('../src/inner/deep.ts', path.join(root, 'src', 'up-and-down.ts'));
    fs.symlinkSync(path.join(root, 'src', 'real.ts'), path.join(root, 'abs-in.ts'));
    // A sibling whose name starts like the root's must not count as inside it ('/tmp/x' vs '/tmp/x-other').
    const sibling = `${root}-sibling.ts`;
    fs.writeFileSync(sibling, 'x');
    try {
      fs.symlinkSync(sibling, path.join(root, 'prefix-out.ts'));
      const events = await collect(root);
      const got = outcomes(events);
      assert.equal(got.get('abs-out.ts'), 'outside-folder');
      assert.equal(got.get('src/rel-out.ts'), 'outside-folder');
      assert.equal(got.get('prefix-out.ts'), 'outside-folder');
      for (const p of ['src/same-folder.ts', 'src/up-and-down.ts', 'abs-in.ts', 'src/real.ts']) assert.equal(got.get(p), 'file', p);
      const report = events.find(e => pathOf(e) === 'abs-out.ts');
      assert.ok(report && report.kind === 'skip');
      assert.deepEqual(report.report, {
        path: 'abs-out.ts',
        status: 'skipped',
        reason: 'outside-folder',
        chunks: 0,
        detail: `A symlink to ${target}, outside the indexed folder; files outside it are never read.`,
      });
    } finally {
      fs.rmSync(sibling);
    }
  });

  it('judges a single changed link the same way (scanPath)', async () => {
    const outside = makeTree({ 'secret.ts': 'x' });
    const root = makeTree({ 'real.ts': 'x' });
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'out.ts'));
    fs.symlinkSync('real.ts', path.join(root, 'in.ts'));
    const verdictOf = async (rel: string) => {
      const v = await scanPath(root, rel, { excludeGlobs: [], maxFileBytes: MB, indexDataFiles: false });
      assert.ok(v.kind === 'found');
      const events: WalkEvent[] = [];
      for await (const e of v.events) events.push(e);
      return outcomes(events).get(rel);
    };
    assert.equal(await verdictOf('out.ts'), 'outside-folder');
    assert.equal(await verdictOf('in.ts'), 'file');
  });

  it('judges links against the real path of a root reached through a symlink', async () => {
    const real = makeTree({ 'a.ts': 'x' });
    fs.symlinkSync(path.join(real, 'a.ts'), path.join(real, 'abs-link.ts')); // absolute, through the real path
    const alias = `${makeTree()}/alias`;
    fs.symlinkSync(real, alias);
    const got = outcomes(await collect(alias));
    assert.equal(got.get('abs-link.ts'), 'file');
    assert.equal(got.get('a.ts'), 'file');
  });

  it('reports dangling and self-referencing links as dangling-link', async () => {
    const root = makeTree({ 'ok.ts': 'x' });
    fs.symlinkSync('missing.ts', path.join(root, 'gone.ts'));
    fs.symlinkSync('self.ts', path.join(root, 'self.ts'));
    const got = outcomes(await collect(root));
    assert.equal(got.get('gone.ts'), 'dangling-link');
    assert.equal(got.get('self.ts'), 'dangling-link');
    assert.equal(got.get('ok.ts'), 'file');
  });

  it('reports sockets as special-file', async function () {
    if (process.platform === 'win32') this.skip();
    const root = makeTree({ 'a.ts': 'x' });
    const server = net.createServer();
    await new Promise<void>(resolve => server.listen(path.join(root, 'sock'), resolve));
    try {
      assert.equal(outcomes(await collect(root)).get('sock'), 'special-file');
    } finally {
      server.close();
    }
  });

  it('reports an unreadable folder and walks on', async function () {
    if (process.getuid?.() === 0 || process.platform === 'win32') this.skip(); // root reads through chmod 000
    const root = makeTree({ 'locked/a.ts': 'x', 'z.ts': 'x' });
    fs.chmodSync(path.join(root, 'locked'), 0);
    try {
      const got = outcomes(await collect(root));
      assert.equal(got.get('locked/'), 'unreadable');
      assert.equal(got.get('z.ts'), 'file');
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
  });

  it('walks names with spaces and non-ASCII characters', async () => {
    const root = makeTree({ 'my file ü.ts': 'x', 'dïr ñ/日本.ts': 'x' });
    const files = (await collect(root)).flatMap(e => (e.kind === 'file' ? [e.file] : []));
    assert.deepEqual(
      files.map(f => f.path),
      ['dïr ñ/日本.ts', 'my file ü.ts'],
    );
    for (const f of files) assert.ok(fs.existsSync(f.absPath), f.absPath);
  });

  it('yields a deterministic, sorted, depth-first order', async () => {
    const root = makeTree();
    for (const rel of ['b.ts', 'a/z.ts', 'B.ts', 'b/c.ts', 'a/m/n.ts', 'a.ts', 'node_modules/x.js']) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'x');
    }
    const first = (await collect(root)).map(pathOf);
    assert.deepEqual(first, ['B.ts', 'a/m/n.ts', 'a/z.ts', 'a.ts', 'b/c.ts', 'b.ts', 'node_modules/']);
    assert.deepEqual((await collect(root)).map(pathOf), first);
  });
});
