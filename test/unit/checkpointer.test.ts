// When a long run saves its progress: a first save after the first few hundred chunks (a Ctrl-C in the first
// seconds keeps them), then every `everyChunks` chunks or `everyMs`; the env overrides each bound.

import * as assert from 'node:assert/strict';
import { Checkpointer, checkpointPolicyFromEnv, DEFAULT_CHECKPOINT } from '../../server/src/engine/indexer/checkpointer';

/** The embedded counts at which a checkpointer with `policy` saves, offered after each step of `step` chunks. */
function savesAt(policy: ConstructorParameters<typeof Checkpointer>[0], total: number, step: number): number[] {
  const at: number[] = [];
  let embedded = 0;
  const c = new Checkpointer(policy, () => {
    at.push(embedded);
    return true;
  });
  for (embedded = step; embedded <= total; embedded += step) c.maybe(embedded);
  return at;
}

describe('Checkpointer', () => {
  it('by default saves first after 256 chunks, then every store segment (131,072)', () => {
    assert.deepEqual(savesAt({ ...DEFAULT_CHECKPOINT, everyMs: 1e9 }, 270_000, 64), [256, 131_328, 262_400]);
  });

  it('without firstChunks (a policy a caller gives) waits for the chunk bound', () => {
    assert.deepEqual(savesAt({ everyMs: 1e9, everyChunks: 1000 }, 2500, 100), [1000, 2000]);
  });

  it('counts a refused first save as the first: the next is due by the regular bounds, not after every file', async () => {
    let tries = 0;
    const c = new Checkpointer({ everyMs: 1e9, everyChunks: 1000, firstChunks: 10 }, () => {
      tries++;
      return false;
    });
    for (let e = 10; e <= 500; e += 10) await c.maybe(e);
    assert.equal(tries, 1);
    assert.equal(c.failures, 1);
  });

  it('SEMSEARCH_CHECKPOINT_FIRST_CHUNKS, _CHUNKS and _MS override the defaults; other values are ignored', () => {
    assert.deepEqual(checkpointPolicyFromEnv({}), DEFAULT_CHECKPOINT);
    assert.deepEqual(
      checkpointPolicyFromEnv({
        SEMSEARCH_CHECKPOINT_FIRST_CHUNKS: '32',
        SEMSEARCH_CHECKPOINT_CHUNKS: '64',
        SEMSEARCH_CHECKPOINT_MS: '500',
      }),
      { firstChunks: 32, everyChunks: 64, everyMs: 500 },
    );
    assert.deepEqual(
      checkpointPolicyFromEnv({ SEMSEARCH_CHECKPOINT_FIRST_CHUNKS: '0', SEMSEARCH_CHECKPOINT_CHUNKS: 'x' }),
      DEFAULT_CHECKPOINT,
    );
  });
});
