// The one seam between the engine and a kind of embedding model. A backend owns its model's files, its
// tokenizer (which the chunker also uses to cut chunks on exact token counts) and whatever runs the model;
// openBackend.ts is the one place that picks one. Three exist: the static model in this process
// (staticBackend.ts), a BERT-style ONNX model in a pool of worker processes (onnxBackend.ts), and an
// OpenAI-compatible embeddings endpoint (remoteBackend.ts), the only one that sends text off the machine.

import type { LineTokenizer } from '../model/tokenizer';
import type { WorkerStats } from './embedderPool';

/**
 * What is embedded: the text and its token ids ([CLS] + ids + [SEP]) under the backend's tokenizer. A local
 * model reads the ids, a remote endpoint the text (it tokenizes with its own model). A Chunk is one as it is,
 * so the indexer passes its chunks without copying anything.
 */
export interface EmbedItem {
  readonly ids: Int32Array;
  readonly text: string;
}

/** Embeds items, one vector each in their order; `urgent` (a query) goes ahead of index batches. */
export interface Embedder {
  embed(items: readonly EmbedItem[], urgent?: boolean): Promise<Float32Array[]>;
}

/**
 * The embedder cannot embed anything for now (a remote endpoint that stayed unreachable through its retries,
 * or that answers vectors of another size): an index run stops and saves what it has, rather than failing its
 * files one batch after another. The message is one line: what happened and what to do.
 */
export class EmbedderUnavailableError extends Error {}

export interface RunningEmbedder {
  embedder: Embedder;
  /** Index batches worth keeping in flight: enough to keep every worker busy, few enough to bound memory. */
  batchesInFlight: number;
  /** Items per index batch the backend asks for (a remote endpoint: its request size); else the batchSize setting. */
  batchSize?: number;
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

/**
 * A backend that runs nothing of its own (the static model in this process, an endpoint over HTTP): start()
 * hands out the embedder it was built with, whatever the pool size or memory limit, and there are no workers.
 */
export abstract class WorkerlessBackend {
  readonly inProcess = true;

  protected constructor(private readonly running: RunningEmbedder) {}

  start(_poolSize?: number, _memoryLimitMB?: number): Promise<RunningEmbedder> {
    return Promise.resolve(this.running);
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  workerStats(): WorkerStats[] {
    return [];
  }
  workerPids(): number[] {
    return [];
  }
}
