// The remote backend's small rules, each alone: how items are cut into requests, how long a retry waits,
// which URLs are taken, and serve's admission (a bounded number running, a bounded queue, the rest refused).

import * as assert from 'node:assert/strict';
import { requestsOf } from '../../server/src/engine/embedder/remoteEmbedder';
import { baseUrlOf, remoteModelId } from '../../server/src/engine/embedder/remoteBackend';
import { parseRetryAfter, retryDelayMs } from '../../server/src/engine/embedder/retryPolicy';
import { Admission } from '../../server/src/serve/admission';

const item = (tokens: number, text = `t${tokens}`) => ({ ids: new Int32Array(tokens), text });

describe("remote embeddings: the client's rules", () => {
  it('cuts items into requests of at most N inputs and about M tokens, in order; an item over M goes alone', () => {
    const items = [item(10, 'a'), item(10, 'b'), item(10, 'c'), item(50, 'big'), item(5, 'd'), item(5, 'e'), item(5, 'f')];
    assert.deepEqual(
      requestsOf(items, 2, 30).map(g => g.map(i => i.text)),
      [['a', 'b'], ['c'], ['big'], ['d', 'e'], ['f']],
    );
    assert.deepEqual(
      requestsOf(items, 100, 1000).map(g => g.length),
      [7],
    );
    assert.deepEqual(requestsOf([], 4, 100), []);
  });

  it('waits as Retry-After says (seconds or a date, capped), else backs off exponentially with jitter', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter('0.5'), 500);
    assert.equal(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1)), 10_000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
    const policy = { maxAttempts: 8, baseBackoffMs: 100 };
    assert.equal(retryDelayMs(policy, 3, 1500), 1500);
    assert.equal(retryDelayMs(policy, 1, 3_600_000), 120_000, 'an hour is cut to two minutes');
    for (const attempt of [1, 2, 3, 4]) {
      const d = retryDelayMs(policy, attempt, undefined);
      assert.ok(d >= 0.8 * 100 * 2 ** (attempt - 1) && d <= 1.2 * 100 * 2 ** (attempt - 1), `attempt ${attempt}: ${d}`);
    }
    assert.ok(retryDelayMs(policy, 30, undefined) <= 36_000, 'capped');
  });

  it('takes http(s) base URLs, tidied; refuses others and credentials in the URL, each in one line', () => {
    assert.equal(baseUrlOf('http://127.0.0.1:8080/v1/'), 'http://127.0.0.1:8080/v1');
    assert.equal(baseUrlOf(' https://gpu-box/v1/embeddings '), 'https://gpu-box/v1');
    assert.equal(baseUrlOf('http://localhost:11434'), 'http://localhost:11434');
    assert.throws(() => baseUrlOf('gpu-box:8080'), /^Error: embeddingEndpoint must be an http:\/\/ or https:\/\/ URL/);
    assert.throws(() => baseUrlOf('not a url'), /^Error: embeddingEndpoint must be a URL such as/);
    assert.throws(
      () => baseUrlOf('http://me:pw@gpu-box/v1'),
      /must not hold a user name or password; give the API key through SEMSEARCH_EMBEDDING_API_KEY/,
    );
    assert.equal(remoteModelId('nomic-embed-text', 768), 'openai:nomic-embed-text:768');
  });
});

describe('semsearch serve: admission', () => {
  it('runs up to the limit, queues up to the queue, refuses the rest; a slot passes to the next in line; a waiter that leaves frees its place', async () => {
    const a = new Admission(1, 2);
    const first = a.enter()!;
    await first.ready;
    const second = a.enter()!;
    const third = a.enter()!;
    assert.equal(a.enter(), undefined, 'over the queue');
    assert.deepEqual([a.runningCount, a.waitingCount], [1, 2]);
    third.leave(); // gone while waiting
    assert.deepEqual([a.runningCount, a.waitingCount], [1, 1]);
    let secondRuns = false;
    void second.ready.then(() => {
      secondRuns = true;
    });
    first.leave();
    first.leave(); // twice is once
    await second.ready;
    assert.ok(secondRuns);
    assert.deepEqual([a.runningCount, a.waitingCount], [1, 0]);
    second.leave();
    assert.deepEqual([a.runningCount, a.waitingCount], [0, 0]);
  });
});
