// Sentence embedding from token states: mean over real (unpadded) tokens, then L2 normalisation,
// as all-MiniLM-L6-v2 was trained to be used.

export function meanPoolNormalize(hidden: Float32Array, lengths: number[], seqLen: number, dims: number): Float32Array {
  const out = new Float32Array(lengths.length * dims);
  for (let b = 0; b < lengths.length; b++) {
    const o = b * dims;
    const n = lengths[b];
    for (let t = 0; t < n; t++) {
      const h = (b * seqLen + t) * dims;
      for (let d = 0; d < dims; d++) out[o + d] += hidden[h + d];
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      out[o + d] /= n;
      norm += out[o + d] * out[o + d];
    }
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dims; d++) out[o + d] /= norm;
  }
  return out;
}
