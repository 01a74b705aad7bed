// One ONNX Runtime session over a BERT-style encoder. Created with onnxruntime-node directly because the
// transformers.js loader ignores session options, and the thread count must be chosen by the pool.

import type * as Ort from 'onnxruntime-node';
import { DEFAULT_SETTINGS } from '../../../../common/settings';
import { paddedLength } from './batchShape';
import { meanPoolNormalize } from './meanPool';

/** What bounds a worker's memory over a long run. onnxruntime-node 1.14 exposes only these two session
 *  switches (no arena extend strategy, no shrinkage run option), so the batch shape is the other lever. */
export interface EmbedderTuning {
  enableCpuMemArena: boolean;
  enableMemPattern: boolean;
  /** Padded lengths are rounded up to a multiple of this (1 = pad to the longest only). */
  padMultiple: number;
  /** One batch of this shape right after loading, so the arena takes its largest blocks before the first real
   *  batch instead of growing while the run finds ever longer ones. */
  warmup?: { batch: number; tokens: number };
}

// Measured with bench/workerMemory.ts (`npm run bench:workers`, README "Benchmark"), 3,000 synthetic batches:
// a memory pattern is cached per input shape and an index run sends hundreds of shapes; with patterns on a
// worker's RSS went 241 -> 303 MB (10% -> 90% of the run), with them off 197-199 -> 228-245 MB, at the same
// throughput (-1%) and with identical vectors. Arena off was the only flat one, but at ~330 MB and 16-18% slower
// (malloc keeps freed blocks). Padding to length buckets did not flatten it further, cost throughput and moves
// vectors (batchShape.ts), so it is off. What still climbs (~10-20 MB per 1,000 batches) is the arena, which
// onnxruntime-node 1.14 cannot shrink or configure: the pool's memory limit, restarting between batches, is the bound.
// A warm-up batch of the default shape (batch size x token budget) right after loading halved a worker's climb
// over 1,500 batches in two runs (15 -> 7 MB per 1,000 batches; RSS at the end the same or lower, throughput
// the same): the arena takes its largest blocks first instead of growing as ever longer batches arrive.
export const DEFAULT_TUNING: EmbedderTuning = {
  enableCpuMemArena: true,
  enableMemPattern: false,
  padMultiple: 1,
  warmup: { batch: DEFAULT_SETTINGS.batchSize, tokens: DEFAULT_SETTINGS.maxChunkTokens },
};

export class OnnxEmbedder {
  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    private readonly tuning: EmbedderTuning,
  ) {}

  static async load(onnxPath: string, intraOpThreads: number, tuning: EmbedderTuning = DEFAULT_TUNING): Promise<OnnxEmbedder> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require('onnxruntime-node') as typeof Ort;
    const session = await ort.InferenceSession.create(onnxPath, {
      intraOpNumThreads: intraOpThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      enableCpuMemArena: tuning.enableCpuMemArena,
      enableMemPattern: tuning.enableMemPattern,
    });
    const embedder = new OnnxEmbedder(ort, session, tuning);
    if (tuning.warmup) {
      const { batch, tokens } = tuning.warmup;
      await embedder.embed(Array.from({ length: batch }, () => new Int32Array(tokens)));
    }
    return embedder;
  }

  /** Embeds sequences of ids (with [CLS]/[SEP]); pads with 0 ([PAD], mask 0) to the longest, rounded to a bucket. */
  async embed(seqs: Int32Array[]): Promise<{ vectors: Float32Array; dims: number }> {
    const lengths = seqs.map(s => s.length);
    const seqLen = paddedLength(Math.max(...lengths), this.tuning.padMultiple);
    const n = seqs.length * seqLen;
    const ids = new BigInt64Array(n),
      mask = new BigInt64Array(n),
      types = new BigInt64Array(n);
    seqs.forEach((s, b) => {
      for (let t = 0; t < s.length; t++) {
        ids[b * seqLen + t] = BigInt(s[t]);
        mask[b * seqLen + t] = 1n;
      }
    });
    const dims = [seqs.length, seqLen];
    const out = await this.session.run({
      input_ids: new this.ort.Tensor('int64', ids, dims),
      attention_mask: new this.ort.Tensor('int64', mask, dims),
      token_type_ids: new this.ort.Tensor('int64', types, dims),
    });
    const hidden = out[this.session.outputNames[0]];
    const hiddenDims = hidden.dims[2];
    return { vectors: meanPoolNormalize(hidden.data as Float32Array, lengths, seqLen, hiddenDims), dims: hiddenDims };
  }
}
