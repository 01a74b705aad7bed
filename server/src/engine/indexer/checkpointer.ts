// Saves a long index run's progress now and then, so a run killed half way resumes from the last save
// instead of embedding everything again. Checked between files; the save itself is the caller's, and a
// save the disk refused (full, read-only) is retried at the next due checkpoint, not after every file.

import { SEGMENT_ROWS } from '../store/chunkSegments';

export interface CheckpointPolicy {
  /** Save after this much run time since the last save... */
  everyMs: number;
  /** ...or after this many chunks embedded since the last save, whichever comes first. */
  everyChunks: number;
  /** The first save once this many chunks are embedded, so a run stopped early (a Ctrl-C in its first
   *  seconds) already has something saved; absent: no early save. */
  firstChunks?: number;
}

/**
 * A save every 30 s bounds the work a kill loses; the chunk bound, one store segment (a save seals the
 * segment being filled, so a smaller bound would cut the store into more, smaller segments), keeps that loss
 * bounded on fast machines too;
 * the first save after 256 chunks: a slow model embeds far fewer than 4,096 chunks in its first 30 s (934 were
 * lost to a Ctrl-C before the first save), and an early stop should keep them.
 */
export const DEFAULT_CHECKPOINT: CheckpointPolicy = { everyMs: 30_000, everyChunks: SEGMENT_ROWS, firstChunks: 256 };

export class Checkpointer {
  private lastAt = performance.now();
  private lastEmbedded = 0;
  private attempts = 0;
  saves = 0;
  /** Checkpoints whose save failed; the run went on in memory. */
  failures = 0;

  /** `save` resolves false when the disk refused the write (it reports why itself). */
  constructor(
    private readonly policy: CheckpointPolicy,
    private readonly save: () => boolean | Promise<boolean>,
  ) {}

  /** Saves when the policy says one is due; `embedded` is the run's embedded-chunk count so far. */
  async maybe(embedded: number): Promise<void> {
    const first = this.attempts === 0 && this.policy.firstChunks !== undefined && embedded >= this.policy.firstChunks;
    const due = first || performance.now() - this.lastAt >= this.policy.everyMs || embedded - this.lastEmbedded >= this.policy.everyChunks;
    if (!due) return;
    // Counted before the save resolves, so a call meanwhile does not save again.
    this.attempts++;
    this.lastEmbedded = embedded;
    if (await this.save()) this.saves++;
    else this.failures++;
    this.lastAt = performance.now();
  }
}

/**
 * The policy, with SEMSEARCH_CHECKPOINT_CHUNKS / SEMSEARCH_CHECKPOINT_MS / SEMSEARCH_CHECKPOINT_FIRST_CHUNKS
 * overriding the defaults (tests use a small interval to kill a run after its first checkpoint). Values that
 * are not positive integers are ignored.
 */
export function checkpointPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): CheckpointPolicy {
  const num = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : fallback);
  return {
    everyMs: num(env.SEMSEARCH_CHECKPOINT_MS, DEFAULT_CHECKPOINT.everyMs),
    everyChunks: num(env.SEMSEARCH_CHECKPOINT_CHUNKS, DEFAULT_CHECKPOINT.everyChunks),
    firstChunks: num(env.SEMSEARCH_CHECKPOINT_FIRST_CHUNKS, DEFAULT_CHECKPOINT.firstChunks!),
  };
}
