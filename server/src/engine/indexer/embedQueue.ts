// Collects chunks that missed the cache, groups them into batches of similar length (padding to the longest
// member is wasted compute) and keeps a bounded number of batches in flight, so memory stays flat however
// large the workspace. Identical texts waiting at the same time are embedded once.

import { EmbedderUnavailableError, type EmbedItem } from '../embedder/backend';
import { giveTurn } from '../turns';
import type { Chunk } from '../types';

export interface EmbedSink {
  embed(items: readonly EmbedItem[]): Promise<Float32Array[]>;
}

export interface QueuedChunk {
  chunk: Chunk;
  key: string;
}

export type Delivered = (item: QueuedChunk, vector: Float32Array) => void;
export type Failed = (item: QueuedChunk, reason: string) => void;

/** Batches gathered before sorting by length: a wider window pads less but holds more chunks in memory. */
const SORT_WINDOW_BATCHES = 8;
/**
 * Twins wait in memory for their first copy's vector and, unlike pending chunks, never filled a batch: with
 * 100k tiny files of 100 texts, 36k of them waited for the run's last partial batch. Past this many, what is
 * pending is sent now, partial batch included.
 */
const MAX_TWINS_HELD = 1024;

export class EmbedQueue {
  private pending: QueuedChunk[] = [];
  private readonly waiting = new Map<string, QueuedChunk[]>();
  private twinsHeld = 0;
  private inFlight = 0;
  private readonly idle: (() => void)[] = [];
  embedded = 0;
  tokens = 0;
  deduplicated = 0;
  /** Set when the embedder became unavailable: nothing more is sent, and the run stops (see EmbedderUnavailableError). */
  stoppedBy?: EmbedderUnavailableError;

  constructor(
    private readonly sink: EmbedSink,
    private readonly batchSize: () => number,
    private readonly maxInFlight: number,
    private readonly onVector: Delivered,
    private readonly onFailure: Failed,
  ) {}

  /** Queues a chunk; resolves when there is room for more (backpressure for the producer). */
  async add(item: QueuedChunk): Promise<void> {
    if (this.stoppedBy) return;
    const twins = this.waiting.get(item.key);
    if (twins) {
      twins.push(item);
      this.deduplicated++;
      if (++this.twinsHeld >= MAX_TWINS_HELD) await this.flush(true);
      return;
    }
    this.waiting.set(item.key, [item]);
    this.pending.push(item);
    if (this.pending.length >= this.batchSize() * SORT_WINDOW_BATCHES) await this.flush(false);
  }

  /** Sends what is pending; with `all`, also the last partial batch, then waits for every batch to settle. */
  async flush(all: boolean): Promise<void> {
    const size = Math.max(1, this.batchSize());
    if (this.stoppedBy) this.dropPending();
    this.pending.sort((a, b) => a.chunk.ids.length - b.chunk.ids.length);
    while (this.pending.length >= size || (all && this.pending.length > 0)) {
      while (this.inFlight >= this.maxInFlight) await new Promise<void>(r => this.idle.push(r));
      // An in-process model answers at once: a window of batches would otherwise run as one long task.
      await giveTurn();
      if (this.stoppedBy) {
        this.dropPending();
        break;
      }
      this.send(this.pending.splice(0, size));
    }
    if (all) while (this.inFlight > 0) await new Promise<void>(r => this.idle.push(r));
  }

  private send(batch: QueuedChunk[]): void {
    this.inFlight++;
    // A chunk is an EmbedItem (its ids and its text): the backend reads what it needs.
    this.sink
      .embed(batch.map(q => q.chunk))
      .then(
        vectors =>
          batch.forEach((q, i) => {
            this.embedded++;
            this.tokens += q.chunk.ids.length;
            for (const twin of this.take(q.key)) this.onVector(twin, vectors[i]);
          }),
        (e: Error) => {
          // Not the batch's fault: its chunks stay unstored (their files not recorded as indexed) for the next run.
          if (e instanceof EmbedderUnavailableError) {
            this.stoppedBy ??= e;
            batch.forEach(q => this.take(q.key));
            return;
          }
          batch.forEach(q => {
            for (const twin of this.take(q.key)) this.onFailure(twin, e.message);
          });
        },
      )
      .finally(() => {
        this.inFlight--;
        for (const wake of this.idle.splice(0)) wake();
      });
  }

  /** What is pending once the embedder is gone: never sent, its files left unfinished for the next run. */
  private dropPending(): void {
    for (const q of this.pending.splice(0)) this.take(q.key);
  }

  private take(key: string): QueuedChunk[] {
    const twins = this.waiting.get(key) ?? [];
    this.waiting.delete(key);
    this.twinsHeld -= Math.max(0, twins.length - 1);
    return twins;
  }
}
