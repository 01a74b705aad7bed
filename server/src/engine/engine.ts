// The engine's front: what the CLI and the language server call. It owns what every indexed folder shares
// (the embedding backend with its model and tokenizer, chunker, cache, settings, the pause gate) and their
// lifetimes; each folder's index and report live in a FolderIndex.

import type { EngineSettings } from '../../../common/settings';
import { EmbeddingCache } from './cache/embeddingCache';
import { Chunker } from './chunker/chunker';
import type { EmbeddingBackend, RunningEmbedder } from './embedder/backend';
import type { WorkerStats } from './embedder/embedderPool';
import { openBackend } from './embedder/openBackend';
import { defaultWorkerScript } from './embedder/workerScript';
import { FolderIndex, IndexResources } from './folderIndex';
import type { IndexDeps } from './indexer/fileIndexer';
import { CheckpointPolicy, checkpointPolicyFromEnv } from './indexer/checkpointer';
import { PauseGate } from './indexer/pauseGate';
import type { TermOptions } from './lexical/codeTerms';
import { Query, SearchOptions } from './search/query';
import { embedQuery } from './search/search';
import type { ChunkSegments } from './store/chunkSegments';

export type { IndexSummary } from './folderIndex';

export interface EngineOptions {
  settings: EngineSettings;
  workerScript?: string;
  /** Milliseconds a worker may take on one batch before it is killed and the batch retried. */
  batchTimeoutMs?: number;
  /** How often a long index run saves its progress; defaults to checkpointPolicyFromEnv(). */
  checkpoint?: CheckpointPolicy;
  /** The API key of the embedding endpoint (embeddingEndpoint), if it needs one: never a setting, never logged. */
  embeddingApiKey?: string;
}

export class Engine implements IndexResources {
  private chunker?: Promise<Chunker>;
  private settings: EngineSettings;
  readonly cache: EmbeddingCache;
  readonly gate = new PauseGate();
  readonly checkpoint: CheckpointPolicy;

  private constructor(
    opts: EngineOptions,
    readonly backend: EmbeddingBackend,
  ) {
    this.settings = opts.settings;
    this.checkpoint = opts.checkpoint ?? checkpointPolicyFromEnv();
    this.cache = new EmbeddingCache(opts.settings.cacheMB * 1048576);
  }

  /** Finds the model and loads its tokenizer; throws a one-line error when the model is missing or damaged. */
  static async open(opts: EngineOptions): Promise<Engine> {
    const backend = await openBackend(
      opts.settings,
      {
        workerScript: opts.workerScript ?? defaultWorkerScript(),
        batchTimeoutMs: opts.batchTimeoutMs ?? batchTimeoutFromEnv(),
      },
      opts.embeddingApiKey,
    );
    return new Engine(opts, backend);
  }

  get modelId(): string {
    return this.backend.modelId;
  }
  get dims(): number {
    return this.backend.dims;
  }
  /** True when the model runs in this process (the static model): no embedder workers. */
  get modelInProcess(): boolean {
    return this.backend.inProcess;
  }
  /** Where the model's files are. */
  get modelDir(): string {
    return this.backend.dir;
  }

  currentSettings(): EngineSettings {
    return this.settings;
  }

  /** Settings that need no restart (batch size) apply to the next batch. */
  updateSettings(settings: EngineSettings): void {
    this.settings = settings;
  }

  /** Stops the workers; the next batch or query starts a pool with the current settings. Stop indexing first. */
  async restartPool(): Promise<void> {
    await this.backend.stop();
  }

  workerStats(): WorkerStats[] {
    return this.backend.workerStats();
  }

  workerPids(): number[] {
    return this.backend.workerPids();
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
   * A validated query (throws a one-line BadQueryError). Its vector is embedded on first use, cut to
   * `maxTokens` (the budget the searched chunks were cut to): in process by a static model, else by the ONNX
   * pool (one worker with every core unless one is already running); a lexical search embeds nothing.
   */
  query(text: string, options: SearchOptions, maxTokens = this.settings.maxChunkTokens, poolSize = this.settings.poolSize): Query {
    return new Query(text, options, t => this.embed(t, maxTokens, poolSize));
  }

  /** A query text's vector, cut to `maxTokens`; it goes ahead of any index batches waiting in the pool. */
  async embed(text: string, maxTokens = this.settings.maxChunkTokens, poolSize = this.settings.poolSize): Promise<Float32Array> {
    const { embedder } = await this.start(poolSize);
    return embedQuery(text, { tokenizer: this.backend.tokenizer, embedder, maxTokens });
  }

  async indexDeps(segments: ChunkSegments, settings: () => EngineSettings): Promise<IndexDeps> {
    const { embedder, batchesInFlight, batchSize } = await this.start(this.settings.poolSize);
    this.chunker ??= Chunker.create();
    return {
      modelId: this.modelId,
      settings,
      tokenizer: this.backend.tokenizer,
      chunker: await this.chunker,
      embedder,
      maxBatchesInFlight: batchesInFlight,
      batchSize,
      cache: this.cache,
      segments,
      gate: this.gate,
    };
  }

  async dispose(): Promise<void> {
    await this.backend.stop();
    (await this.chunker?.catch(() => undefined))?.dispose();
    this.chunker = undefined;
  }

  private start(poolSize: number): Promise<RunningEmbedder> {
    return this.backend.start(poolSize, this.settings.workerMemoryLimitMB);
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
