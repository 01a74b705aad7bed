// The stores older versions kept in VS Code's storage are removed at activation; nothing else there is.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { oldStoreFolders, removeOldStores } from '../../client/src/oldStores';

describe('old stores in VS Code storage', () => {
  let storage: string;
  const make = (name: string, files: Record<string, string>): string => {
    const dir = path.join(storage, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
    return dir;
  };

  beforeEach(() => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-oldstores-'));
  });
  afterEach(() => fs.rmSync(storage, { recursive: true, force: true }));

  it('removes each old store (16 hex digits, a manifest, no lock) and says how many bytes it freed', () => {
    const a = make('0123456789abcdef', { 'manifest.json': '{}', 'seg-1.usearch': 'x'.repeat(1000) });
    const b = make('fedcba9876543210', { 'manifest.json': '{"format":2}', 'index.hnsw': 'y'.repeat(500) });
    assert.deepEqual(oldStoreFolders(storage).sort(), [a, b].sort());
    const r = removeOldStores(storage);
    assert.deepEqual(r, { removed: 2, bytes: 1000 + 2 + 500 + 12, failed: [] });
    assert.equal(fs.existsSync(a) || fs.existsSync(b), false);
  });

  it('leaves a locked store, folders that are not stores, and everything else', () => {
    const lock = (pid: number, hostname = os.hostname()) => JSON.stringify({ pid, hostname, since: new Date().toISOString() });
    const locked = make('00000000000000aa', { 'manifest.json': '{}', 'semsearch.lock': lock(process.pid) });
    const lockedElsewhere = make('00000000000000ab', { 'manifest.json': '{}', 'semsearch.lock': lock(1, 'another-host') });
    const unreadableLock = make('00000000000000ac', { 'manifest.json': '{}', 'semsearch.lock': 'not json' });
    const noManifest = make('00000000000000bb', { 'notes.txt': 'mine' });
    const otherName = make('settings', { 'manifest.json': '{}' });
    const longer = make('0123456789abcdef0', { 'manifest.json': '{}' });
    fs.writeFileSync(path.join(storage, '00000000000000cc'), 'a file, not a folder');
    make('00000000000000dd', {});
    fs.mkdirSync(path.join(storage, '00000000000000dd', 'manifest.json')); // a folder named like the manifest
    assert.deepEqual(removeOldStores(storage), { removed: 0, bytes: 0, failed: [] });
    for (const p of [
      locked,
      lockedElsewhere,
      unreadableLock,
      noManifest,
      otherName,
      longer,
      path.join(storage, '00000000000000cc'),
      path.join(storage, '00000000000000dd'),
    ])
      assert.ok(fs.existsSync(p), `${p} is kept`);
  });

  it('removes a store whose lock was left by a process of this machine that is gone', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = make('00000000000000ee', {
      'manifest.json': '{}',
      'semsearch.lock': JSON.stringify({ pid: gone, hostname: os.hostname() }),
    });
    assert.equal(removeOldStores(storage).removed, 1);
    assert.equal(fs.existsSync(stale), false);
  });

  it('does nothing where there is no storage folder yet', () => {
    assert.deepEqual(removeOldStores(path.join(storage, 'missing')), { removed: 0, bytes: 0, failed: [] });
  });
});
