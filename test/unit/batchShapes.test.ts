import * as assert from 'node:assert/strict';
import { paddedLength } from '../../server/src/engine/embedder/batchShape';
import { DEFAULT_TUNING, OnnxEmbedder } from '../../server/src/engine/embedder/onnxEmbedder';
import { standinModel } from '../helpers/standin';

describe('batch shapes and session options', () => {
  it('rounds the padded length up to the bucket, never below the longest sequence', () => {
    assert.equal(paddedLength(17, 1), 17);
    assert.equal(paddedLength(17, 16), 32);
    assert.equal(paddedLength(32, 16), 32);
    assert.equal(paddedLength(250, 32, 256), 256);
    assert.equal(paddedLength(250, 32, 240), 250);
  });

  it('the memory-bounding session options leave the vectors exactly as the library defaults give them', async function () {
    this.timeout(60_000);
    const seq = (n: number, seed: number) =>
      Int32Array.from({ length: n }, (_, i) => (i === 0 ? 101 : i === n - 1 ? 102 : 1000 + ((i * 7919 + seed * 104729) % 29000)));
    const batches = [[seq(37, 1), seq(30, 2), seq(5, 3)], [seq(200, 4)], [seq(90, 5), seq(88, 6)]];
    const libraryDefaults = await OnnxEmbedder.load(standinModel().onnxPath, 1, {
      enableCpuMemArena: true,
      enableMemPattern: true,
      padMultiple: 1,
    });
    const chosen = await OnnxEmbedder.load(standinModel().onnxPath, 1, DEFAULT_TUNING);
    for (const batch of batches) {
      const a = (await libraryDefaults.embed(batch)).vectors,
        b = (await chosen.embed(batch)).vectors;
      assert.equal(a.length, b.length);
      let max = 0;
      for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
      assert.ok(max < 1e-5, `largest difference ${max}`);
    }
  });
});
