// One ONNX Runtime session over a BERT-style encoder. Created with onnxruntime-node directly because the
// transformers.js loader ignores session options, and the thread count must be chosen by the pool.

import type * as Ort from 'onnxruntime-node';
import { meanPoolNormalize } from './meanPool';

export class OnnxEmbedder {
  private constructor(private readonly ort: typeof Ort, private readonly session: Ort.InferenceSession) {}

  static async load(onnxPath: string, intraOpThreads: number): Promise<OnnxEmbedder> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require('onnxruntime-node') as typeof Ort;
    const session = await ort.InferenceSession.create(onnxPath, {
      intraOpNumThreads: intraOpThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // The arena keeps the largest shape it has seen; batch shapes are bounded by the token budget and batch
      // size, so its high-water mark is bounded too (measured flat over long runs in the benchmark).
      enableCpuMemArena: true,
    });
    return new OnnxEmbedder(ort, session);
  }

  /** Embeds sequences of ids (with [CLS]/[SEP]); pads to the longest in the batch with 0 ([PAD]). */
  async embed(seqs: Int32Array[]): Promise<{ vectors: Float32Array; dims: number }> {
    const lengths = seqs.map(s => s.length);
    const seqLen = Math.max(...lengths);
    const n = seqs.length * seqLen;
    const ids = new BigInt64Array(n), mask = new BigInt64Array(n), types = new BigInt64Array(n);
    seqs.forEach((s, b) => {
      for (let t = 0; t < s.length; t++) { ids[b * seqLen + t] = BigInt(s[t]); mask[b * seqLen + t] = 1n; }
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
