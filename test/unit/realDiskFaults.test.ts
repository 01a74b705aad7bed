// The store on a real full disk and a real read-only disk, not simulated: a 256 KB tmpfs mounted in a
// private mount namespace (`unshare -rm`: no root needed, nothing visible outside the test), filled by a
// bigger index, then grown, then remounted read-only. The CLI runs inside that namespace as a user runs it.
// Skipped where the kernel or container forbids user namespaces or tmpfs mounts.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writePythonModules } from '../helpers/pythonModules';
import { PROJECT_ROOT, standinModelsDir } from '../helpers/standin';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

function namespacesWork(dir: string): boolean {
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$1"', 'sh', dir], { encoding: 'utf8' });
  return r.status === 0;
}

interface Step {
  code: number;
  stdout: string;
  stderr: string;
}

describe('store write failure on a real disk (tmpfs in a private mount namespace)', function () {
  this.timeout(180_000);
  let tmp: string;
  let steps: Record<string, Step>;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-realdisk-'));
    const [ws, store, extra, out] = ['ws', 'store', 'extra', 'out'].map(d => path.join(tmp, d));
    for (const d of [store, out]) fs.mkdirSync(d);
    if (!namespacesWork(store)) {
      this.skip();
      return;
    }
    // 5 modules (40 chunks, about 95 KB of store) fit the 256 KB disk; 40 do not.
    writePythonModules(ws, 0, 5);
    writePythonModules(extra, 5, 40);
    // One script in one namespace: the tmpfs lives as long as it does. Each step leaves code/stdout/stderr in out/.
    const script = `
      set -u
      step() { name=$1; shift; node "$CLI" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"; echo $? > "$OUT/$name.code"; }
      mount -t tmpfs -o size=256k tmpfs "$STORE" || exit 90
      step first index "$WS" --store "$STORE" --json
      cp "$EXTRA"/*.py "$WS"/
      step full index "$WS" --store "$STORE" --json
      ls -a "$STORE" > "$OUT/full.ls"
      step fullFiles files --store "$STORE" --json
      mount -o remount,size=16m "$STORE" || exit 91
      step grown index "$WS" --store "$STORE" --json
      mount -o remount,ro "$STORE" || exit 92
      printf 'def late_addition(x):\\n    """Added once the disk went read-only."""\\n    return x * 3\\n' > "$WS/late.py"
      step readOnly index "$WS" --store "$STORE" --json
      step readOnlyFiles files --store "$STORE" --json
    `;
    const env = {
      ...process.env,
      CLI,
      WS: ws,
      STORE: store,
      EXTRA: extra,
      OUT: out,
      SEMSEARCH_MODEL_DIR: standinModelsDir(),
      SEMSEARCH_MODEL: process.env.SEMSEARCH_MODEL || 'minilm-standin',
    };
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { env, encoding: 'utf8', timeout: 170_000 });
    assert.equal(r.status, 0, `the namespace script failed (${r.status}): ${r.stderr}`);
    steps = {};
    for (const name of ['first', 'full', 'fullFiles', 'grown', 'readOnly', 'readOnlyFiles']) {
      const read = (ext: string) => fs.readFileSync(path.join(out, `${name}.${ext}`), 'utf8');
      steps[name] = { code: Number(read('code')), stdout: read('out'), stderr: read('err') };
    }
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const summary = (s: Step) =>
    JSON.parse(s.stdout.trimEnd().split('\n').pop()!) as { chunks: number; embedded: number; files: { indexed: number } };
  const lastLine = (s: Step) => s.stderr.trimEnd().split('\n').pop()!;
  const indexedPaths = (s: Step) =>
    (JSON.parse(s.stdout) as { path: string; status: string }[])
      .filter(f => f.status === 'indexed')
      .map(f => f.path)
      .sort();

  it('a full disk: one line with the fix, exit 1, no temp files left, the previous index intact and readable', () => {
    assert.equal(steps.first.code, 0, steps.first.stderr);
    assert.equal(steps.full.code, 1, steps.full.stderr);
    assert.match(
      lastLine(steps.full),
      /^semsearch: Could not save the index of .* no space left on device \(ENOSPC\)\. Free some disk space\./,
    );
    assert.deepEqual(
      fs
        .readFileSync(path.join(tmp, 'out', 'full.ls'), 'utf8')
        .split('\n')
        .filter(n => n.endsWith('.tmp')),
      [],
      'no temp files left',
    );
    assert.equal(steps.fullFiles.code, 0, steps.fullFiles.stderr);
    assert.deepEqual(
      indexedPaths(steps.fullFiles),
      ['module_0.py', 'module_1.py', 'module_2.py', 'module_3.py', 'module_4.py'],
      "the first run's index, whole",
    );
  });

  it('once the disk has room, the next run saves, embedding only what the saved index lacked', () => {
    assert.equal(steps.grown.code, 0, steps.grown.stderr);
    const first = summary(steps.first),
      grown = summary(steps.grown);
    assert.equal(grown.files.indexed, 40);
    assert.equal(grown.embedded, grown.chunks - first.chunks, "the first run's chunks were not embedded again");
  });

  it('a read-only disk: one line with the fix, exit 1; the saved index is still read', () => {
    assert.equal(steps.readOnly.code, 1, steps.readOnly.stderr);
    assert.match(
      lastLine(steps.readOnly),
      /read-only \(EROFS\)\. Make .* writable \(remount the disk read-write\) or use another store folder\./,
    );
    assert.equal(
      steps.readOnly.stderr
        .trimEnd()
        .split('\n')
        .filter(l => l.startsWith('semsearch:')).length,
      1,
      steps.readOnly.stderr,
    );
    assert.equal(steps.readOnlyFiles.code, 0, steps.readOnlyFiles.stderr);
    assert.equal(indexedPaths(steps.readOnlyFiles).length, 40, 'the grown index, whole');
  });
});
