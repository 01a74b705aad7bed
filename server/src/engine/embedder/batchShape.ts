// The padded length of a batch. ONNX Runtime keeps per-shape state (a memory pattern per input shape, arena
// blocks sized for it), so every new [batch, length] can grow a worker's memory; rounding the length up to a
// bucket bounds the number of distinct shapes. Off by default (multiple 1): measured, it flattened RSS no more
// than turning memory patterns off does, and padding is not free here: extra positions are [PAD]=0, mask 0, yet the
// quantized model's DynamicQuantizeLinear takes one scale over the whole tensor, padding included, so vectors
// move by ~1e-4 (as they already do with different batch mates) and padded tokens cost compute.

/** Rounds the longest sequence up to a multiple of `multiple` (1 = no bucketing), never past `cap` unless the longest is. */
export function paddedLength(longest: number, multiple: number, cap = Infinity): number {
  if (multiple <= 1) return longest;
  const bucket = Math.ceil(longest / multiple) * multiple;
  return Math.max(longest, Math.min(bucket, cap));
}
