// Embeddings by content: the same chunk text under the same model and token budget is never embedded twice.
// Bounded in bytes, least recently used first out.

import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Key of a chunk's embedding: model id, token budget and text all change the vector. */
export function chunkKey(modelId: string, maxTokens: number, text: string): string {
  return createHash('sha256').update(modelId).update('\0').update(String(maxTokens)).update('\0').update(text).digest('base64url');
}

export class EmbeddingCache {
  private readonly lru: LRUCache<string, Float32Array>;
  hits = 0;
  misses = 0;

  constructor(maxBytes: number) {
    this.lru = new LRUCache<string, Float32Array>({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (v, k) => v.byteLength + k.length * 2 + 64,
    });
  }

  get(key: string): Float32Array | undefined {
    const v = this.lru.get(key);
    if (v) this.hits++;
    else this.misses++;
    return v;
  }

  set(key: string, vector: Float32Array): void {
    this.lru.set(key, vector);
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize ?? 0;
  }
}
