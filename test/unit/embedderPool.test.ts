import * as assert from 'node:assert/strict';
import { EmbedderPool, PoolFatalError } from '../../server/src/engine/embedder/embedderPool';
import { choosePoolShape } from '../../server/src/engine/embedder/poolShape';
import { ModelTokenizer, withSpecialTokens } from '../../server/src/engine/model/tokenizer';
import { standinModel, workerScript } from '../helpers/standin';

const base = { workerScript: workerScript(), threadsPerWorker: 1, memoryLimitMB: 2048, batchTimeoutMs: 30_000, maxAttempts: 3 };

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe('embedder pool', function () {
  let tok: ModelTokenizer;
  let seqs: Int32Array[];
  before(async () => {
    tok = await ModelTokenizer.load(standinModel());
    seqs = Array.from({ length: 24 }, (_, i) =>
      withSpecialTokens(tok, [tok.encodeLine(`function handler${i}(req, res) { return res.send(${i} * 2); }`)]),
    );
  });

  it('never oversubscribes the cores', () => {
    assert.deepEqual(choosePoolShape(0, 2), { size: 2, threadsPerWorker: 1 });
    assert.deepEqual(choosePoolShape(1, 2), { size: 1, threadsPerWorker: 2 });
    assert.deepEqual(choosePoolShape(5, 2), { size: 2, threadsPerWorker: 1 });
    assert.deepEqual(choosePoolShape(0, 8), { size: 2, threadsPerWorker: 4 });
    assert.deepEqual(choosePoolShape(0, 1), { size: 1, threadsPerWorker: 1 });
  });

  it('returns unit vectors, the same for the same text whatever the batch padding', async () => {
    const pool = await EmbedderPool.start({ ...base, onnxPath: standinModel().onnxPath, size: 1 });
    try {
      const [alone] = await pool.embed([seqs[0]]);
      const long = withSpecialTokens(tok, [tok.encodeLine('x '.repeat(100))]);
      const [padded] = await pool.embed([seqs[0], long]);
      assert.equal(alone.length, 384);
      assert.ok(Math.abs(dot(alone, alone) - 1) < 1e-4);
      assert.ok(dot(alone, padded) > 0.999, 'padding must not change the vector');
    } finally {
      await pool.dispose();
    }
  });

  it('embeds an urgent batch (a search query) ahead of queued index batches, after the one running', async () => {
    const pool = await EmbedderPool.start({ ...base, onnxPath: standinModel().onnxPath, size: 1 });
    try {
      const order: string[] = [];
      const track = (name: string, p: Promise<Float32Array[]>) =>
        p.then(v => {
          order.push(name);
          return v;
        });
      const index = [0, 4, 8, 12].map((i, n) => track(`index${n}`, pool.embed(seqs.slice(i, i + 4))));
      const queries = [track('query0', pool.embed([seqs[20]], true)), track('query1', pool.embed([seqs[21]], true))];
      await Promise.all([...index, ...queries]);
      assert.deepEqual(order, ['index0', 'query0', 'query1', 'index1', 'index2', 'index3']);
      assert.equal(pool.stats()[0].batches, 5, 'the two queries waiting together went as one batch');
    } finally {
      await pool.dispose();
    }
  });

  it('sends queries waiting together as one batch, each getting its own vector', async () => {
    const pool = await EmbedderPool.start({ ...base, onnxPath: standinModel().onnxPath, size: 1 });
    try {
      const alone = await Promise.all(seqs.slice(0, 20).map(s => pool.embed([s])));
      const before = pool.stats()[0].batches;
      const running = pool.embed(seqs.slice(20, 24));
      const together = await Promise.all(seqs.slice(0, 20).map(s => pool.embed([s], true)));
      await running;
      assert.equal(pool.stats()[0].batches - before, 1 + 2, 'the running batch, then 20 queries in batches of at most 16');
      together.forEach(([v], i) => assert.ok(dot(v, alone[i][0]) > 0.9999, `query ${i} got its own vector`));
    } finally {
      await pool.dispose();
    }
  });

  it('replaces a worker SIGKILLed mid-batch and retries its batch: every vector arrives once', async () => {
    const pool = await EmbedderPool.start({ ...base, onnxPath: standinModel().onnxPath, size: 2 });
    try {
      const reference = await pool.embed(seqs.slice(0, 4));
      let killed = 0;
      pool.on('batch-start', ({ pid }: { pid: number }) => {
        if (killed++ === 1) process.kill(pid, 'SIGKILL');
      });
      const batches = [0, 4, 8, 12, 16, 20].map(i => pool.embed(seqs.slice(i, i + 4)));
      const results = await Promise.all(batches);
      assert.equal(results.flat().length, 24);
      for (let i = 0; i < 4; i++) assert.ok(dot(results[0][i], reference[i]) > 0.9999);
      const stats = pool.stats();
      assert.equal(
        stats.reduce((s, w) => s + w.restarts, 0),
        1,
      );
      assert.match(stats.find(w => w.restarts === 1)!.lastRestartReason, /SIGKILL/);
    } finally {
      await pool.dispose();
    }
  });

  it('kills a worker that does not answer in time and retries the batch elsewhere', async () => {
    const pool = await EmbedderPool.start({ ...base, onnxPath: standinModel().onnxPath, size: 2, batchTimeoutMs: 2000 });
    try {
      let stopped = false;
      // SIGSTOP freezes the worker: it stays alive but never answers, like a hung ONNX call.
      pool.on('batch-start', ({ pid }: { pid: number }) => {
        if (!stopped) {
          stopped = true;
          process.kill(pid, 'SIGSTOP');
        }
      });
      const out = await pool.embed(seqs.slice(0, 4));
      assert.equal(out.length, 4);
      assert.match(
        pool
          .stats()
          .map(w => w.lastRestartReason)
          .join(' '),
        /did not answer within 2s/,
      );
    } finally {
      await pool.dispose();
    }
  });

  it('restarts a worker over its memory limit between batches, losing nothing', async () => {
    const pool = await EmbedderPool.start({ ...base, onnxPath: standinModel().onnxPath, size: 1, memoryLimitMB: 1 });
    try {
      const a = await pool.embed(seqs.slice(0, 4));
      const b = await pool.embed(seqs.slice(4, 8));
      assert.equal(a.length + b.length, 8);
      assert.equal(pool.stats()[0].restarts, 2);
      assert.match(pool.stats()[0].lastRestartReason, /passed the 1 MB limit/);
    } finally {
      await pool.dispose();
    }
  });

  it('fails a batch after three attempts instead of looping', async () => {
    const pool = await EmbedderPool.start({ ...base, onnxPath: standinModel().onnxPath, size: 1 });
    try {
      pool.on('batch-start', ({ pid }: { pid: number }) => process.kill(pid, 'SIGKILL'));
      await assert.rejects(pool.embed(seqs.slice(0, 2)), /Embedding failed 3 times: .*SIGKILL/);
    } finally {
      await pool.dispose();
    }
  });

  it('stops with the model error when the model file is not a model', async () => {
    await assert.rejects(
      EmbedderPool.start({ ...base, onnxPath: __filename, size: 2 }),
      (e: Error) => e instanceof PoolFatalError && /Could not load the model/.test(e.message),
    );
  });
});
