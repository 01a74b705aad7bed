// The one seam between the engine and a kind of embedding model. A backend owns its model's files, its
// tokenizer (which the chunker also uses to cut chunks on exact token counts) and whatever runs the model;
// openBackend.ts is the one place that picks one. Two exist: the static model in this process
// (staticBackend.ts) and a BERT-style ONNX model in a pool of worker processes (onnxBackend.ts).

import type { LineTokenizer } from '../model/tokenizer';
import type { WorkerStats } from './embedderPool';

/** Embeds sequences of token ids ([CLS] + ids + [SEP]); `urgent` (a query) goes ahead of index batches. */
export interface Embedder {
  embed(seqs: Int32Array[], urgent?: boolean): Promise<Float32Array[]>;
}

export interface RunningEmbedder {
  embedder: Embedder;
  /** Index batches worth keeping in flight: enough to keep every worker busy, few enough to bound memory. */
  batchesInFlight: number;
}

export interface EmbeddingBackend {
  /** Recorded in every store: another model's vectors are never mixed in. */
  readonly modelId: string;
  readonly dims: number;
  /** Where the model's files are (for the log and the health view). */
  readonly dir: string;
  /** True when the model runs in the engine process: no worker to start, bound or restart. */
  readonly inProcess: boolean;
  readonly tokenizer: LineTokenizer;
  /** Starts what embedding needs, once (workers: `poolSize` requested, 0 = chosen from the cores). */
  start(poolSize: number, memoryLimitMB: number): Promise<RunningEmbedder>;
  /** Stops what start() started; the next start() starts it again with the settings it is given. */
  stop(): Promise<void>;
  /** The worker processes, for stats and the memory bound (none for an in-process model). */
  workerStats(): WorkerStats[];
  workerPids(): number[];
}
