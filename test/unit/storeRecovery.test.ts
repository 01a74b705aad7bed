// A store that survives a kill and a damaged disk, driven through the built CLI as a user runs it:
// a run killed with SIGKILL after its first checkpoint resumes from it (same chunks as an uninterrupted run,
// less embedding), and a truncated, corrupted, missing or garbage store file is reported once and rebuilt.

import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readStore } from '../../server/src/engine/store/storeFolder';
import { chunkRanges, writePythonModules } from '../helpers/pythonModules';
import { CLI, cliEnv, runCli as cli } from '../helpers/cliRun';

const FILES = 40;

interface Summary {
  chunks: number;
  embedded: number;
  storeBytes: number;
  storeBytesPerChunk: number;
  rebuilt?: string;
  files: { indexed: number };
}

async function index(ws: string, store: string): Promise<Summary & { stderr: string }> {
  const r = await cli(['index', ws, '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  return { ...(JSON.parse(lines[lines.length - 1]) as Summary), stderr: r.stderr };
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise(resolve => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

/** Resolves once `file` exists, polling; rejects at the deadline or if the child exits first. */
async function waitForFile(file: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!fs.existsSync(file)) {
    if (child.exitCode !== null) throw new Error(`the CLI exited (${child.exitCode}) before ${file} appeared`);
    if (Date.now() > end) throw new Error(`${file} did not appear within ${deadlineMs} ms`);
    await new Promise(r => setTimeout(r, 5));
  }
}

describe('store recovery (CLI)', function () {
  this.timeout(120_000);
  let tmp: string;

  before(() => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing; run npm run build`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-recovery-'));
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a run killed with SIGKILL after a checkpoint resumes: less embedding, the same chunks as an uninterrupted run', async () => {
    const ws = path.join(tmp, 'big');
    writePythonModules(ws, 0, FILES);
    const whole = await index(ws, path.join(tmp, 'whole'));
    assert.ok(whole.chunks >= 200, `a few hundred chunks expected, got ${whole.chunks}`);
    assert.ok(whole.storeBytesPerChunk > 0 && Math.abs(whole.storeBytesPerChunk - whole.storeBytes / whole.chunks) < 1);

    const store = path.join(tmp, 'killed');
    const child = spawn(process.execPath, [CLI, 'index', ws, '--store', store, '--json'], {
      env: cliEnv({ SEMSEARCH_CHECKPOINT_CHUNKS: '16' }),
      stdio: 'ignore',
    });
    const end = exited(child);
    await waitForFile(path.join(store, 'manifest.json'), child, 30_000);
    child.kill('SIGKILL');
    assert.equal(await end, 'SIGKILL', 'the run was killed before it finished');

    const resumed = await index(ws, store);
    assert.equal(resumed.rebuilt, undefined, resumed.stderr);
    // The next run says what it found: the dead run's lock, and the checkpoint it resumes from.
    assert.match(resumed.stderr, new RegExp(`^semsearch: took over a stale lock left by pid ${child.pid} \\(no longer running`, 'm'));
    assert.match(
      resumed.stderr,
      /^resuming a run that ended before it finished: [\d,]+ chunks of \d+ files saved by its last checkpoint at /m,
    );
    assert.ok(resumed.embedded > 0 && resumed.embedded < whole.embedded, `resumed run embedded ${resumed.embedded} of ${whole.embedded}`);
    assert.equal(resumed.chunks, whole.chunks);
    assert.equal(resumed.files.indexed, whole.files.indexed);
    const ranges = chunkRanges(store);
    assert.equal(new Set(ranges).size, ranges.length, 'no chunk is stored twice');
    assert.deepEqual(ranges, chunkRanges(path.join(tmp, 'whole')));
    // The lexical side holds exactly the chunks the vector side holds, and finds each file's own words.
    const saved = readStore(store);
    for (const i of [0, Math.floor(FILES / 2), FILES - 1]) {
      const labels = saved.lexicalSearch(`measure_${i}_0`, 3).map(h => h.label);
      assert.ok(labels.length > 0 && labels.every(label => saved.meta(label) !== undefined), `measure_${i}_0: ${JSON.stringify(labels)}`);
      assert.equal(saved.lexicalSearch(`measure_${i}_0`, 3)[0].meta.path, `module_${i}.py`);
    }
    saved.close();
  });

  describe('a damaged store file is reported once and the index rebuilt', () => {
    let ws: string;
    let good: string;
    let expected: Summary;

    before(async () => {
      ws = path.join(tmp, 'small');
      writePythonModules(ws, 0, 4);
      good = path.join(tmp, 'good');
      expected = await index(ws, good);
    });

    const cases: [string, (store: string) => void, RegExp][] = [
      ['a truncated graph', s => fs.truncateSync(segmentFile(s, '.usearch'), 100), /seg-\d+\.usearch is corrupted/],
      ['flipped bytes in the metadata columns', s => flipBytes(segmentFile(s, '.meta')), /seg-\d+\.meta is corrupted/],
      ['truncated vector codes', s => fs.truncateSync(segmentFile(s, '.codes'), 50), /seg-\d+\.codes is corrupted/],
      ['a truncated lexical segment', s => fs.truncateSync(segmentFile(s, '.lex'), 50), /seg-\d+\.lex is corrupted/],
      ['a deleted files.json', s => fs.rmSync(path.join(s, 'files.json')), /files\.json is missing/],
      ['a garbage manifest', s => fs.writeFileSync(path.join(s, 'manifest.json'), '\u0000\u0001garbage{'), /manifest .* is unreadable/],
    ];
    for (const [name, damage, reason] of cases) {
      it(name, async () => {
        const store = path.join(tmp, name.replace(/\W+/g, '-'));
        fs.cpSync(good, store, { recursive: true });
        damage(store);
        const run = await index(ws, store);
        assert.match(run.rebuilt ?? '', reason);
        assert.match(run.rebuilt ?? '', /it is rebuilt\.$/);
        assert.equal(run.stderr.split('\n').filter(l => reason.test(l)).length, 1, `reported once:\n${run.stderr}`);
        assert.equal(run.chunks, expected.chunks);
        assert.equal(run.embedded, expected.chunks, 'rebuilt from scratch');
        assert.equal((await index(ws, store)).embedded, 0, 'the rebuilt store is whole again');
      });
    }
  });
});

/** The store's first segment file of a kind. */
function segmentFile(store: string, suffix: string): string {
  return path.join(
    store,
    fs
      .readdirSync(store)
      .filter(f => f.endsWith(suffix))
      .sort()[0],
  );
}

function flipBytes(file: string): void {
  const buf = fs.readFileSync(file);
  for (let i = 10; i < 20; i++) buf[Math.floor(buf.length / 2) + i] ^= 0xff;
  fs.writeFileSync(file, buf);
}
