import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VectorStore } from '../../server/src/engine/store/vectorStore';

const DIMS = 384;

/** Deterministic pseudo-random unit vectors, clustered like real embeddings are. */
function vectors(n: number, seed = 1): Float32Array[] {
  let s = seed;
  const rnd = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 - 0.5; };
  const centers = Array.from({ length: 20 }, () => Float32Array.from({ length: DIMS }, rnd));
  return Array.from({ length: n }, (_, i) => {
    const c = centers[i % centers.length];
    const v = Float32Array.from({ length: DIMS }, (_, d) => c[d] + 0.6 * rnd());
    const norm = Math.hypot(...v);
    return v.map(x => x / norm);
  });
}

const meta = (p: string, i: number) => ({ path: p, startLine: i, endLine: i + 1, symbol: `s${i}`, kind: 'function', snippet: '' });

describe('vector store', () => {
  it('finds a stored vector first, with its metadata and a cosine score', () => {
    const store = VectorStore.create(DIMS);
    const vs = vectors(50);
    vs.forEach((v, i) => store.add(meta(`f${i % 5}.ts`, i), v, `chunk${i}`));
    const [top] = store.search(vs[17], 3);
    assert.equal(top.meta.symbol, 's17');
    assert.ok(top.score > 0.999);
  });

  it('grows past its initial capacity', () => {
    const store = VectorStore.create(DIMS);
    vectors(3000).forEach((v, i) => store.add(meta('a.ts', i), v, `chunk${i}`));
    assert.equal(store.count, 3000);
    assert.ok(store.capacity >= 3000);
  });

  it('forgets a removed file and reuses its slots instead of growing', () => {
    const store = VectorStore.create(DIMS);
    const vs = vectors(1024);
    vs.forEach((v, i) => store.add(meta(i < 512 ? 'old.ts' : 'keep.ts', i), v, `chunk${i}`));
    assert.equal(store.removeFile('old.ts'), 512);
    assert.ok(store.search(vs[3], 10).every(h => h.meta.path === 'keep.ts'));
    const cap = store.capacity;
    vs.slice(0, 512).forEach((v, i) => store.add(meta('new.ts', i), v, `chunk${i}`));
    assert.equal(store.capacity, cap, 'deleted slots were reused');
    assert.equal(store.count, 1024);
  });

  it('keeps recall@10 at or above 0.95 against an exact scan', function () {
    this.timeout(120_000);
    const store = VectorStore.create(DIMS);
    const vs = vectors(5000, 7);
    vs.forEach((v, i) => store.add(meta('a.ts', i), v, `chunk${i}`));
    const queries = vectors(50, 99);
    let found = 0;
    for (const q of queries) {
      const exact = new Set(store.exactSearch(q, 10).map(h => h.label));
      found += store.search(q, 10).filter(h => exact.has(h.label)).length;
    }
    assert.ok(found / (queries.length * 10) >= 0.95, `recall@10 was ${found / 500}`);
  });

  it('saves and loads with metadata and deletions intact', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    const store = VectorStore.create(DIMS);
    const vs = vectors(100);
    vs.forEach((v, i) => store.add(meta(i < 50 ? 'a.ts' : 'b.ts', i), v, `function word${i}() {}`));
    store.removeFile('a.ts');
    store.save(dir);
    const back = VectorStore.load(dir);
    assert.equal(back.count, 50);
    // The lexical side comes back with the same chunks: a removed file's words are gone, a kept file's found.
    assert.equal(back.lexicalSearch('word70', 5)[0].meta.symbol, 's70');
    assert.ok(back.lexicalSearch('word10', 5).every(h => h.meta.path === 'b.ts'));
    assert.equal(back.lexical.count, 50);
    assert.equal(back.search(vs[70], 1)[0].meta.symbol, 's70');
    assert.ok(back.search(vs[10], 10).every(h => h.meta.path === 'b.ts'));
    assert.deepEqual(fs.readdirSync(dir).filter(f => f.endsWith('.tmp')), []);
  });

  it('filters results by metadata', () => {
    const store = VectorStore.create(DIMS);
    const vs = vectors(200);
    vs.forEach((v, i) => store.add(meta(i % 2 ? 'src/odd.ts' : 'lib/even.ts', i), v, `chunk${i}`));
    const hits = store.search(vs[4], 10, m => m.path.startsWith('src/'));
    assert.equal(hits.length, 10);
    assert.ok(hits.every(h => h.meta.path === 'src/odd.ts'));
  });
});
