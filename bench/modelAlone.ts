// The ceiling the index run is compared with: the model alone, in one process using every core, fed
// ready token ids sorted by length in batches of the same size. No scanning, chunking or IPC.

import { OnnxEmbedder } from '../server/src/engine/embedder/onnxEmbedder';
import { availableCores } from '../server/src/engine/embedder/poolShape';

export async function modelAloneTokensPerSecond(onnxPath: string, seqs: Int32Array[], batchSize: number): Promise<number> {
  const embedder = await OnnxEmbedder.load(onnxPath, availableCores());
  const sorted = [...seqs].sort((a, b) => a.length - b.length);
  await embedder.embed(sorted.slice(0, batchSize)); // warm-up: first run allocates
  const t0 = performance.now();
  let tokens = 0;
  for (let i = 0; i < sorted.length; i += batchSize) {
    const batch = sorted.slice(i, i + batchSize);
    await embedder.embed(batch);
    for (const s of batch) tokens += s.length;
  }
  return tokens / ((performance.now() - t0) / 1000);
}
