import * as assert from 'node:assert/strict';
import { chunkKey, EmbeddingCache } from '../../server/src/engine/cache/embeddingCache';

describe('embedding cache', () => {
  it('keys on model, token budget and text', () => {
    const k = chunkKey('m', 256, 'function f() {}');
    assert.equal(k, chunkKey('m', 256, 'function f() {}'));
    assert.notEqual(k, chunkKey('other', 256, 'function f() {}'));
    assert.notEqual(k, chunkKey('m', 128, 'function f() {}'));
    assert.notEqual(k, chunkKey('m', 256, 'function g() {}'));
    // No ambiguity from concatenation: ("m1", 0) and ("m", 10) must differ.
    assert.notEqual(chunkKey('m1', 0, 'x'), chunkKey('m', 10, 'x'));
  });

  it('counts hits and misses', () => {
    const c = new EmbeddingCache(1 << 20);
    assert.equal(c.get('a'), undefined);
    c.set('a', new Float32Array(384));
    assert.ok(c.get('a'));
    assert.equal(c.hits, 1);
    assert.equal(c.misses, 1);
  });

  it('stays within its byte bound, evicting the least recently used', () => {
    const vecBytes = 384 * 4;
    const c = new EmbeddingCache(10 * (vecBytes + 200));
    for (let i = 0; i < 100; i++) {
      c.set(`key${i}`, new Float32Array(384));
      if (i > 0) c.get('key0'); // keep key0 hot
    }
    assert.ok(c.bytes <= 10 * (vecBytes + 200));
    assert.ok(c.size < 12);
    assert.ok(c.get('key0'), 'the recently used entry survives');
    assert.equal(c.get('key1'), undefined);
  });
});
