// Where a folder's index lives by default: named by the folder's real path under the user's cache folder.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultStoreDir, defaultStoresDir, findDefaultStore, userCacheDir } from '../../server/src/engine/store/storeLocation';

describe('default store location', () => {
  let tmp: string;
  let cache: string;
  let stores: string;

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-storeloc-')));
    cache = path.join(tmp, 'cache');
    stores = defaultStoresDir(cache);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is <cache>/semsearch/stores/<name>-<16 hex>', () => {
    fs.mkdirSync(path.join(tmp, 'my project'));
    const dir = defaultStoreDir(path.join(tmp, 'my project'), stores);
    assert.equal(path.dirname(dir), path.join(cache, 'semsearch', 'stores'));
    assert.equal(stores, path.join(cache, 'semsearch', 'stores'));
    assert.match(path.basename(dir), /^my project-[0-9a-f]{16}$/);
  });

  it('is the same for a folder reached through a symlink or a relative path, and differs between folders', () => {
    const real = path.join(tmp, 'real');
    fs.mkdirSync(path.join(real, 'sub'), { recursive: true });
    fs.symlinkSync(real, path.join(tmp, 'link'), 'dir');
    fs.mkdirSync(path.join(tmp, 'other', 'real'), { recursive: true });
    const store = defaultStoreDir(real, stores);
    assert.equal(defaultStoreDir(path.join(tmp, 'link'), stores), store);
    assert.equal(defaultStoreDir(path.join(real, 'sub', '..'), stores), store);
    assert.equal(defaultStoreDir(path.relative(process.cwd(), real), stores), store);
    const others = [defaultStoreDir(path.join(tmp, 'other', 'real'), stores), defaultStoreDir(path.join(real, 'sub'), stores)];
    assert.equal(new Set([store, ...others]).size, 3, 'a folder of the same name elsewhere, and a subfolder, get their own');
  });

  it('throws for a folder that does not exist', () => {
    assert.throws(() => defaultStoreDir(path.join(tmp, 'missing'), stores), /ENOENT/);
  });

  it("the cache folder: SEMSEARCH_CACHE_DIR over the platform's own", () => {
    const home = path.join(tmp, 'home');
    assert.equal(userCacheDir({ SEMSEARCH_CACHE_DIR: cache, XDG_CACHE_HOME: '/xdg' }, 'linux', home), cache);
    assert.equal(userCacheDir({ SEMSEARCH_CACHE_DIR: cache }, 'darwin', home), cache);
    assert.equal(userCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', home), '/xdg');
    assert.equal(userCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', home), path.join(home, '.cache'));
    assert.equal(userCacheDir({}, 'linux', home), path.join(home, '.cache'));
    assert.equal(userCacheDir({}, 'darwin', home), path.join(home, 'Library', 'Caches'));
    assert.equal(userCacheDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32', home), 'C:\\Users\\me\\AppData\\Local');
  });

  it('defaults to the cache folder of SEMSEARCH_CACHE_DIR', () => {
    const saved = process.env.SEMSEARCH_CACHE_DIR;
    process.env.SEMSEARCH_CACHE_DIR = cache;
    try {
      assert.equal(defaultStoreDir(tmp), defaultStoreDir(tmp, stores));
      assert.equal(defaultStoresDir(), stores);
    } finally {
      if (saved === undefined) delete process.env.SEMSEARCH_CACHE_DIR;
      else process.env.SEMSEARCH_CACHE_DIR = saved;
    }
  });

  it('finds the saved store of the folder or the nearest folder above it', () => {
    const root = path.join(tmp, 'repo');
    const deep = path.join(root, 'src', 'deep');
    fs.mkdirSync(deep, { recursive: true });
    assert.equal(findDefaultStore(deep, stores), undefined);
    const store = defaultStoreDir(root, stores);
    fs.mkdirSync(store, { recursive: true });
    assert.equal(findDefaultStore(deep, stores), undefined, 'an empty store folder holds no index');
    fs.writeFileSync(path.join(store, 'manifest.json'), '{}');
    assert.deepEqual(findDefaultStore(deep, stores), { root, storeDir: store });
    assert.deepEqual(findDefaultStore(root, stores), { root, storeDir: store });
    assert.equal(findDefaultStore(tmp, stores), undefined, 'never a folder below');
  });
});
