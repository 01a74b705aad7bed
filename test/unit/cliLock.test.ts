// The CLI beside another writer of its store (held here by the test process through the lock module, as a
// language server would): `index` waits and says so, then fails with one line after --lock-timeout or
// indexes once the lock frees; `search` and `files` read the saved index without waiting.

import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreLock } from '../../server/src/engine/store/storeLock';
import { PROJECT_ROOT, standinModelsDir } from '../helpers/standin';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEMSEARCH_MODEL_DIR: standinModelsDir(),
    SEMSEARCH_MODEL: process.env.SEMSEARCH_MODEL || 'minilm-standin',
  };
  delete env.SEMSEARCH_MODEL_BASE_URL;
  const started = Date.now();
  return new Promise(resolve => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('CLI and the store lock', function () {
  this.timeout(60_000);
  let tmp: string;
  let ws: string;
  let store: string;
  let held: StoreLock | undefined;

  before(async () => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing; run npm run build`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-clilock-'));
    ws = path.join(tmp, 'ws');
    store = path.join(tmp, 'store');
    fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
    for (const name of ['inventory.py', 'server.go'])
      fs.copyFileSync(path.join(PROJECT_ROOT, 'test/fixtures/chunker', name), path.join(ws, 'src', name));
    const first = await cli(['index', ws, '--store', store, '--json']);
    assert.equal(first.code, 0, first.stderr);
  });

  afterEach(() => {
    held?.release();
    held = undefined;
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  function hold(): StoreLock {
    const r = StoreLock.tryAcquire(store);
    assert.ok('lock' in r, `the test takes the lock: ${JSON.stringify(r)}`);
    return (held = r.lock);
  }

  it('index waits, says who holds the store, and fails with one line after --lock-timeout', async () => {
    hold();
    const r = await cli(['index', ws, '--store', store, '--lock-timeout', '1']);
    assert.notEqual(r.code, 0);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0], new RegExp(`another semsearch process \\(pid ${process.pid}\\b.*is indexing this store; waiting`));
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[1], /^semsearch: .*still holds the store .* after 1s/);
    assert.ok(r.ms >= 1000, `waited ${r.ms} ms`);
    assert.ok(held && fs.existsSync(held.file), 'the holder keeps its lock');
  });

  it('index runs once the holder releases the lock, then releases its own', async () => {
    const lock = hold();
    const run = cli(['index', ws, '--store', store, '--lock-timeout', '30', '--json']);
    setTimeout(() => lock.release(), 1500);
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /is indexing this store; waiting/);
    assert.match(r.stderr, /the store is free; indexing/);
    assert.equal(JSON.parse(r.stdout.trimEnd().split('\n').pop()!).embedded, 0, 'the saved index was reused');
    assert.equal(StoreLock.holder(store), undefined, 'released at the end');
  });

  it('search and files read the saved index while another process holds the lock, and say so', async () => {
    hold();
    const s = await cli(['search', 'add an item to the inventory', '--store', store, '--json', '-k', '3']);
    assert.equal(s.code, 0, s.stderr);
    assert.ok((JSON.parse(s.stdout) as unknown[]).length > 0);
    assert.match(s.stderr, /is indexing this store; reading the last saved index/);
    const f = await cli(['files', '--store', store, '--json']);
    assert.equal(f.code, 0, f.stderr);
    assert.equal((JSON.parse(f.stdout) as unknown[]).length, 2);
  });

  it('search beside a first run that has saved nothing yet says so in one line, not "reading" then "no index"', async () => {
    const fresh = path.join(tmp, 'fresh-store');
    const r0 = StoreLock.tryAcquire(fresh);
    assert.ok('lock' in r0);
    held = r0.lock;
    const s = await cli(['search', 'add an item', '--store', fresh]);
    assert.equal(s.code, 1, s.stderr);
    assert.deepEqual(s.stderr.trimEnd().split('\n').length, 1, s.stderr);
    assert.match(
      s.stderr,
      new RegExp(
        `^semsearch: another semsearch process \\(pid ${process.pid}\\b.* is building this index and has saved nothing yet; try again in a moment`,
      ),
    );
  });

  it('a CLI killed with SIGKILL while holding the lock leaves it stale; the next index takes it over at once', async () => {
    const lockFile = path.join(store, 'semsearch.lock');
    // Held first so the child is sure to be at the lock when it is handed over, not yet done.
    const lock = hold();
    const child = spawn(process.execPath, [CLI, 'index', ws, '--store', store], {
      env: { ...process.env, SEMSEARCH_MODEL_DIR: standinModelsDir(), SEMSEARCH_MODEL: 'minilm-standin' },
      stdio: 'ignore',
    });
    const exited = new Promise(resolve => child.on('exit', resolve));
    await new Promise(resolve => setTimeout(resolve, 300));
    lock.release();
    const deadline = Date.now() + 10_000;
    const holds = () => {
      try {
        return fs.readFileSync(lockFile, 'utf8').includes(`"pid":${child.pid},`);
      } catch {
        return false;
      }
    };
    while (!holds()) {
      assert.ok(Date.now() < deadline && child.exitCode === null, 'the child took the lock');
      await new Promise(resolve => setImmediate(resolve));
    }
    child.kill('SIGKILL');
    await exited;
    assert.ok(fs.existsSync(lockFile), 'SIGKILL left the lock file behind');
    const r = await cli(['index', ws, '--store', store, '--lock-timeout', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /waiting/);
    assert.match(r.stderr, new RegExp(`^semsearch: took over a stale lock left by pid ${child.pid} \\(no longer running`, 'm'));
    assert.equal(fs.existsSync(lockFile), false, 'released at the end');
  });

  it('a lock naming a pid that is not running is taken over without waiting', async () => {
    fs.writeFileSync(
      path.join(store, 'semsearch.lock'),
      JSON.stringify({ pid: 2 ** 22 + 1, hostname: os.hostname(), since: '2020-01-01T00:00:00.000Z' }),
    );
    const r = await cli(['index', ws, '--store', store, '--lock-timeout', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /waiting/);
  });
});
