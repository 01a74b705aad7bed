import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readStore, saveStore, STORE_FORMAT } from '../../server/src/engine/store/storeFolder';
import { ChunkSegments } from '../../server/src/engine/store/chunkSegments';

const DIMS = 384;

/** Deterministic pseudo-random unit vectors, clustered like real embeddings are. */
function vectors(n: number, seed = 1): Float32Array[] {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const centers = Array.from({ length: 20 }, () => Float32Array.from({ length: DIMS }, rnd));
  return Array.from({ length: n }, (_, i) => {
    const c = centers[i % centers.length];
    const v = Float32Array.from({ length: DIMS }, (_, d) => c[d] + 0.6 * rnd());
    const norm = Math.hypot(...v);
    return v.map(x => x / norm);
  });
}

const meta = (p: string, i: number) => ({ path: p, startLine: i, endLine: i + 1, symbol: `s${i}`, kind: 'function' });

/** Saves the store as a folder index would, then opens what was saved. */
function saveAndRead(store: ChunkSegments, dir: string): ChunkSegments {
  saveStore(
    dir,
    { format: STORE_FORMAT, modelId: 'test', dims: DIMS, maxChunkTokens: 256, root: dir, indexedAt: new Date().toISOString() },
    store,
    [],
  );
  return readStore(dir);
}

/**
 * 450 rows in 200-row segments, the first 180 (gone.ts) removed: the first sealed segment is left with 20 live
 * rows, few enough for the next active segment to take in.
 */
function withSmallSegment(): { dir: string; store: ChunkSegments; vs: Float32Array[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
  const store = ChunkSegments.create(DIMS, undefined, dir, 200);
  const vs = vectors(450);
  vs.forEach((v, i) => store.add(meta(i < 180 ? 'gone.ts' : `f${i % 7}.ts`, i), v, `word${i}`));
  store.removeFile('gone.ts');
  return { dir, store, vs };
}

describe('chunk segments', () => {
  it('finds a stored vector first, with its metadata and a cosine score', async () => {
    const store = ChunkSegments.create(DIMS);
    const vs = vectors(50);
    vs.forEach((v, i) => store.add(meta(`f${i % 5}.ts`, i), v, `chunk${i}`));
    const [top] = await store.search(vs[17], 3);
    assert.equal(top.meta.symbol, 's17');
    assert.ok(top.score > 0.999);
  });

  it('grows past its initial sizes', async () => {
    const store = ChunkSegments.create(DIMS);
    vectors(3000).forEach((v, i) => store.add(meta('a.ts', i), v, `chunk${i}`));
    assert.equal(store.count, 3000);
    assert.equal((await store.search(vectors(3000)[2999], 1))[0].meta.symbol, 's2999');
  });

  it('forgets a removed file, in the active segment and in sealed ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    const store = ChunkSegments.create(DIMS, undefined, dir, 300);
    const vs = vectors(1024);
    // old.ts spans the first two sealed segments; keep.ts the rest.
    vs.forEach((v, i) => store.add(meta(i < 512 ? 'old.ts' : 'keep.ts', i), v, `chunk${i}`));
    assert.equal(store.segmentCount, 4, 'three sealed segments and the active one');
    assert.equal(store.removeFile('old.ts'), 512);
    assert.equal(store.count, 512);
    assert.ok((await store.search(vs[3], 10)).every(h => h.meta.path === 'keep.ts'));
    assert.ok(store.lexicalSearch('chunk3', 10).every(h => h.meta.path === 'keep.ts'));
    assert.equal((await store.search(vs[700], 1))[0].meta.symbol, 's700');
  });

  it('takes a sealed segment left with few live rows into the next active one', async () => {
    const { dir, store, vs } = withSmallSegment();
    // A segment file no manifest lists (an index this one replaced, or a kill's leftover) goes at the next save.
    fs.writeFileSync(path.join(dir, 'seg-99.meta'), 'stale');
    // The first segment has 20 of 200 rows live: the next save's new active segment takes them in.
    const back = saveAndRead(store, dir);
    assert.ok(!fs.existsSync(path.join(dir, 'seg-99.meta')), 'the unlisted file is swept');
    store.close();
    back.add(meta('new.ts', 1000), vs[0], 'word1000');
    assert.ok(back.slots < 450, `removed rows dropped: ${back.slots} rows held`);
    assert.equal(back.count, 450 - 180 + 1);
    for (const i of [185, 199, 300, 449]) assert.equal((await back.search(vs[i], 1))[0].meta.symbol, `s${i}`);
    assert.equal(back.lexicalSearch('word190', 1)[0].meta.symbol, 's190');
    const again = saveAndRead(back, dir);
    back.close();
    assert.equal(again.count, 271);
    assert.equal(fs.readdirSync(dir).filter(f => f.startsWith('seg-1.')).length, 0, "the absorbed segment's files are gone");
    again.close();
  });

  it('takes in no small segment while pinned (a search across awaits), so labels keep naming the same chunks', async () => {
    const { dir, store, vs } = withSmallSegment();
    const back = saveAndRead(store, dir);
    store.close();
    const [before] = back.lexicalSearch('word190', 1);
    const release = back.pin();
    back.add(meta('new.ts', 1000), vs[0], 'word1000');
    assert.equal(back.slots, 451, 'the small segment was not taken in');
    assert.deepEqual(back.meta(before.label), before.meta, 'its label still names its chunk');
    release();
    release(); // a second call changes nothing
    assert.equal((await back.search(vs[190], 1))[0].meta.symbol, 's190');
    back.close();
  });

  it('a save that takes over a background seal waiting on the graph thread waits on the same call', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    const store = ChunkSegments.create(DIMS, undefined, dir, 200);
    const vs = vectors(250);
    vs.forEach((v, i) => store.add(meta(`f${i % 5}.ts`, i), v, `word${i}`));
    // The full segment's seal runs a step per turn: a few turns bring it to its graph save, awaited there.
    for (let turn = 0; turn < 3; turn++) await new Promise(resolve => setImmediate(resolve));
    const back = saveAndRead(store, dir);
    store.close();
    assert.equal(back.count, 250);
    assert.equal((await back.search(vs[17], 1))[0].meta.symbol, 's17');
    back.close();
  });

  it('keeps recall@10 at or above 0.95 against an exact scan', async function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    // Several sealed segments: each searched on its own, the answers merged.
    const store = ChunkSegments.create(DIMS, undefined, dir, 1500);
    const vs = vectors(5000, 7);
    vs.forEach((v, i) => store.add(meta('a.ts', i), v, `chunk${i}`));
    const queries = vectors(50, 99);
    let found = 0;
    for (const q of queries) {
      const exact = new Set(store.exactSearch(q, 10).map(h => h.label));
      found += (await store.search(q, 10)).filter(h => exact.has(h.label)).length;
    }
    assert.ok(found / (queries.length * 10) >= 0.95, `recall@10 was ${found / 500}`);
  });

  it('saves and loads with metadata and deletions intact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    const store = ChunkSegments.create(DIMS);
    const vs = vectors(100);
    vs.forEach((v, i) => store.add(meta(i < 50 ? 'a.ts' : 'b.ts', i), v, `function word${i}() {}`));
    store.removeFile('a.ts');
    const back = saveAndRead(store, dir);
    assert.equal(back.count, 50);
    // The lexical side comes back with the same chunks: a removed file's words are gone, a kept file's found.
    assert.equal(back.lexicalSearch('word70', 5)[0].meta.symbol, 's70');
    assert.ok(back.lexicalSearch('word10', 5).every(h => h.meta.path === 'b.ts'));
    assert.equal((await back.search(vs[70], 1))[0].meta.symbol, 's70');
    assert.ok((await back.search(vs[10], 10)).every(h => h.meta.path === 'b.ts'));
    assert.deepEqual(
      fs.readdirSync(dir).filter(f => f.endsWith('.tmp')),
      [],
    );
  });

  it('filters results by metadata', async () => {
    const store = ChunkSegments.create(DIMS);
    const vs = vectors(200);
    vs.forEach((v, i) => store.add(meta(i % 2 ? 'src/odd.ts' : 'lib/even.ts', i), v, `chunk${i}`));
    const hits = await store.search(vs[4], 10, m => m.path.startsWith('src/'));
    assert.equal(hits.length, 10);
    assert.ok(hits.every(h => h.meta.path === 'src/odd.ts'));
  });
});
