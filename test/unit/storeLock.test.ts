// The store folder's lock: exclusive, tells the loser who holds it, taken over from a dead holder, released.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCK_FILE, StoreLock } from '../../server/src/engine/store/storeLock';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  assert.ok(r.pid, 'node -e "" ran');
  return r.pid;
}

describe('StoreLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes a free lock, writing {pid, hostname, since} into the store folder', () => {
    const r = StoreLock.tryAcquire(path.join(dir, 'store'));
    assert.ok('lock' in r);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'store', LOCK_FILE), 'utf8'));
    assert.deepEqual(saved, { pid: process.pid, hostname: os.hostname(), since: r.lock.holder.since });
    r.lock.release();
  });

  it('refuses a second take while held, naming the holder', () => {
    const first = StoreLock.tryAcquire(dir);
    assert.ok('lock' in first);
    const second = StoreLock.tryAcquire(dir);
    assert.ok('heldBy' in second);
    assert.equal(second.heldBy.pid, process.pid);
    assert.equal(second.heldBy.since, first.lock.holder.since);
    assert.deepEqual(StoreLock.holder(dir), first.lock.holder);
    first.lock.release();
  });

  it('takes over a stale lock whose pid is dead on this host (a SIGKILLed holder)', () => {
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: os.hostname(), since: '2020-01-01T00:00:00.000Z' }));
    assert.equal(StoreLock.holder(dir), undefined, 'a dead holder does not count');
    const told: unknown[] = [];
    const r = StoreLock.tryAcquire(dir, stale => told.push(stale));
    assert.ok('lock' in r, `took over from dead pid ${pid}`);
    assert.equal(r.lock.holder.pid, process.pid);
    assert.deepEqual(
      told,
      [{ pid, hostname: os.hostname(), since: '2020-01-01T00:00:00.000Z' }],
      'the takeover is told, with whose lock it was',
    );
    r.lock.release();
    const later: unknown[] = [];
    const again = StoreLock.tryAcquire(dir, stale => later.push(stale));
    assert.ok('lock' in again);
    assert.deepEqual(later, [], 'a free lock is no takeover');
    again.lock.release();
  });

  it('leaves a fresh unreadable lock file alone (being written), and takes over an old one (its writer died)', () => {
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(file, '');
    assert.ok('heldBy' in StoreLock.tryAcquire(dir), 'a lock written an instant ago is held');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const told: unknown[] = [];
    const r = StoreLock.tryAcquire(dir, stale => told.push(stale));
    assert.ok('lock' in r);
    assert.deepEqual(told, [undefined], 'told, with no holder to name');
    r.lock.release();
  });

  it('release frees it for the next taker, and does not remove a lock taken over by someone else', () => {
    const first = StoreLock.tryAcquire(dir);
    assert.ok('lock' in first);
    first.lock.release();
    assert.equal(fs.existsSync(path.join(dir, LOCK_FILE)), false);
    const second = StoreLock.tryAcquire(dir);
    assert.ok('lock' in second);
    first.lock.release(); // twice: a no-op
    assert.equal(fs.existsSync(path.join(dir, LOCK_FILE)), true, 'the second holder keeps its lock');
    second.lock.release();
  });

  it('acquire waits until the holder releases, telling onWait once; times out while held', async () => {
    const first = StoreLock.tryAcquire(dir);
    assert.ok('lock' in first);
    const told: number[] = [];
    assert.equal(await StoreLock.acquire(dir, { timeoutMs: 120, pollMs: 20, onWait: h => told.push(h.pid) }), undefined);
    assert.deepEqual(told, [process.pid]);
    setTimeout(() => first.lock.release(), 100);
    const got = await StoreLock.acquire(dir, { timeoutMs: 5000, pollMs: 20 });
    assert.ok(got, 'taken once released');
    got.release();
  });
});
