// A BERT-style ONNX model (MiniLM, the stand-in, any model of that shape in the models folder), run by a pool
// of forked worker processes; its WordPiece tokenizer (@xenova/transformers) runs in the engine process.

import { locateModel, ModelDamagedError, ModelFiles, readModelConfig } from '../model/modelFiles';
import { ModelTokenizer } from '../model/tokenizer';
import type { Embedder, EmbeddingBackend, RunningEmbedder } from './backend';
import { EmbedderPool } from './embedderPool';
import { choosePoolShape } from './poolShape';

export interface OnnxPoolOptions {
  workerScript: string;
  /** Milliseconds a worker may take on one batch before it is killed and the batch retried. */
  batchTimeoutMs: number;
}

/** The pool behind the seam: its workers run ONNX only, so they get the ids the tokenizer here cut. */
export function idsEmbedder(pool: EmbedderPool): Embedder {
  return {
    embed: (items, urgent) =>
      pool.embed(
        items.map(i => i.ids),
        urgent,
      ),
  };
}

export class OnnxBackend implements EmbeddingBackend {
  readonly inProcess = false;
  private pool?: Promise<EmbedderPool>;
  /** The pool once it has started (for stats), without starting one. */
  private running?: EmbedderPool;

  private constructor(
    readonly model: ModelFiles,
    readonly dims: number,
    readonly tokenizer: ModelTokenizer,
    private readonly opts: OnnxPoolOptions,
  ) {}

  /** Finds the model's files and loads its tokenizer; throws a one-line error when they are missing or damaged. */
  static async open(modelsDir: string, modelId: string, opts: OnnxPoolOptions): Promise<OnnxBackend> {
    const model = locateModel(modelsDir, modelId);
    const config = readModelConfig(model);
    const tokenizer = await ModelTokenizer.load(model).catch((e: unknown) => {
      throw new ModelDamagedError(
        `Model "${model.modelId}" has a tokenizer that cannot be loaded from ${model.dir} (${String((e as Error)?.message ?? e).replace(/\s+/g, ' ')}); put the model's files there again.`,
      );
    });
    return new OnnxBackend(model, config.hidden_size ?? 384, tokenizer, opts);
  }

  get modelId(): string {
    return this.model.modelId;
  }
  get dir(): string {
    return this.model.dir;
  }

  /** Starts the pool once; a pool that failed to start (a bad model) stays failed until stop(). */
  start(poolSize: number, memoryLimitMB: number): Promise<RunningEmbedder> {
    if (!this.pool) {
      const shape = choosePoolShape(poolSize);
      const pool = EmbedderPool.start({
        onnxPath: this.model.onnxPath,
        workerScript: this.opts.workerScript,
        size: shape.size,
        threadsPerWorker: shape.threadsPerWorker,
        memoryLimitMB,
        batchTimeoutMs: this.opts.batchTimeoutMs,
        maxAttempts: 3,
      });
      this.pool = pool;
      this.running = undefined;
      pool.then(
        p => {
          if (this.pool === pool) this.running = p;
        },
        () => {},
      );
    }
    return this.pool.then(pool => ({ embedder: idsEmbedder(pool), batchesInFlight: pool.stats().length * 2 }));
  }

  async stop(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.running = undefined;
    await (await pool?.catch(() => undefined))?.dispose();
  }

  workerStats() {
    return this.running?.stats() ?? [];
  }
  workerPids() {
    return this.running?.pids() ?? [];
  }
}
