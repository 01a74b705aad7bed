// The engine's front: what the CLI and the language server call. It owns what every indexed folder shares
// (model, tokenizer, chunker, embedder pool, cache, settings, the pause gate) and their lifetimes; each
// folder's index and report live in a FolderIndex.

import type { EngineSettings } from '../../../common/settings';
import { EmbeddingCache } from './cache/embeddingCache';
import { Chunker } from './chunker/chunker';
import { EmbedderPool, WorkerStats } from './embedder/embedderPool';
import { choosePoolShape } from './embedder/poolShape';
import { defaultWorkerScript } from './embedder/workerScript';
import { FolderIndex, IndexResources } from './folderIndex';
import type { IndexDeps } from './indexer/fileIndexer';
import { CheckpointPolicy, checkpointPolicyFromEnv } from './indexer/checkpointer';
import { PauseGate } from './indexer/pauseGate';
import type { TermOptions } from './lexical/codeTerms';
import { locateModel, ModelDamagedError, ModelFiles, readModelConfig } from './model/modelFiles';
import { ModelTokenizer } from './model/tokenizer';
import { Query, SearchOptions } from './search/query';
import { embedQuery } from './search/search';
import type { VectorStore } from './store/vectorStore';

export type { IndexSummary } from './folderIndex';

export interface EngineOptions {
  settings: EngineSettings;
  workerScript?: string;
  /** Milliseconds a worker may take on one batch before it is killed and the batch retried. */
  batchTimeoutMs?: number;
  /** How often a long index run saves its progress; defaults to checkpointPolicyFromEnv(). */
  checkpoint?: CheckpointPolicy;
}

export class Engine implements IndexResources {
  private pool?: Promise<EmbedderPool>;
  /** The pool once it has started (for stats), without starting one. */
  private running?: EmbedderPool;
  private chunker?: Promise<Chunker>;
  private settings: EngineSettings;
  readonly cache: EmbeddingCache;
  readonly gate = new PauseGate();
  readonly checkpoint: CheckpointPolicy;

  private constructor(private readonly opts: EngineOptions, readonly model: ModelFiles, readonly dims: number, private readonly tokenizer: ModelTokenizer) {
    this.settings = opts.settings;
    this.checkpoint = opts.checkpoint ?? checkpointPolicyFromEnv();
    this.cache = new EmbeddingCache(opts.settings.cacheMB * 1048576);
  }

  /** Finds the model and loads its tokenizer; throws a one-line error when the model is missing. */
  static async open(opts: EngineOptions): Promise<Engine> {
    const model = locateModel(opts.settings.modelsDir, opts.settings.modelId);
    const config = readModelConfig(model);
    const tokenizer = await ModelTokenizer.load(model).catch((e: unknown) => {
      throw new ModelDamagedError(`Model "${model.modelId}" has a tokenizer that cannot be loaded from ${model.dir} (${String((e as Error)?.message ?? e).replace(/\s+/g, ' ')}); put the model's files there again.`);
    });
    return new Engine(opts, model, config.hidden_size ?? 384, tokenizer);
  }

  get modelId(): string { return this.model.modelId; }

  currentSettings(): EngineSettings { return this.settings; }

  /** Settings that need no restart (batch size) apply to the next batch. */
  updateSettings(settings: EngineSettings): void {
    this.settings = settings;
  }

  /** Stops the workers; the next batch or query starts a pool with the current settings. Stop indexing first. */
  async restartPool(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.running = undefined;
    await (await pool?.catch(() => undefined))?.dispose();
  }

  workerStats(): WorkerStats[] {
    return this.running?.stats() ?? [];
  }

  workerPids(): number[] {
    return this.running?.pids() ?? [];
  }

  /** One folder's index, stored in storeDir; with `reuse`, a compatible saved index is loaded first; `terms`: see FolderIndex. */
  folder(root: string, storeDir: string, reuse = false, terms?: TermOptions): FolderIndex {
    return new FolderIndex(root, storeDir, this, reuse, terms);
  }

  /** The index saved in storeDir, for searching and listing (any token budget); throws one line if there is none. */
  savedFolder(storeDir: string): FolderIndex {
    return FolderIndex.readSaved(storeDir, this);
  }

  /**
   * A validated query (throws a one-line BadQueryError). Its vector is embedded on first use, by one worker
   * with every core unless a pool is already running, cut to `maxTokens` (the budget the searched chunks were
   * cut to); a lexical search never starts a worker.
   */
  query(text: string, options: SearchOptions, maxTokens = this.settings.maxChunkTokens, poolSize = this.settings.poolSize): Query {
    return new Query(text, options, t => this.embed(t, maxTokens, poolSize));
  }

  /** A query text's vector, cut to `maxTokens`; it goes ahead of any index batches waiting in the pool. */
  async embed(text: string, maxTokens = this.settings.maxChunkTokens, poolSize = this.settings.poolSize): Promise<Float32Array> {
    return embedQuery(text, { tokenizer: this.tokenizer, embedder: await this.startPool(poolSize), maxTokens });
  }

  async indexDeps(store: VectorStore, settings: () => EngineSettings): Promise<IndexDeps> {
    const pool = await this.startPool(this.settings.poolSize);
    this.chunker ??= Chunker.create();
    return {
      modelId: this.model.modelId, settings, tokenizer: this.tokenizer, chunker: await this.chunker, embedder: pool,
      maxBatchesInFlight: pool.stats().length * 2, cache: this.cache, store, gate: this.gate,
    };
  }

  async dispose(): Promise<void> {
    await this.restartPool();
    (await this.chunker?.catch(() => undefined))?.dispose();
    this.chunker = undefined;
  }

  /** Starts the pool once; a pool that failed to start (a bad model) stays failed until restartPool(). */
  private startPool(requestedSize: number): Promise<EmbedderPool> {
    if (this.pool) return this.pool;
    const shape = choosePoolShape(requestedSize);
    const pool = EmbedderPool.start({
      onnxPath: this.model.onnxPath, workerScript: this.opts.workerScript ?? defaultWorkerScript(),
      size: shape.size, threadsPerWorker: shape.threadsPerWorker, memoryLimitMB: this.settings.workerMemoryLimitMB,
      batchTimeoutMs: this.opts.batchTimeoutMs ?? batchTimeoutFromEnv(), maxAttempts: 3,
    });
    this.pool = pool;
    this.running = undefined;
    pool.then(p => { if (this.pool === pool) this.running = p; }, () => {});
    return pool;
  }
}

/**
 * A minute covers the slowest batch on a slow machine many times over; SEMSEARCH_BATCH_TIMEOUT_MS shortens it
 * (tests freeze a worker and wait for the timeout). Values that are not positive integers are ignored.
 */
export function batchTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.SEMSEARCH_BATCH_TIMEOUT_MS;
  return v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : 60_000;
}
