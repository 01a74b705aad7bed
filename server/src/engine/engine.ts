// The engine's front: what the CLI (and later the language server) call. It wires the model, tokenizer,
// chunker, embedder pool, cache and store together and owns their lifetimes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineSettings } from '../../../common/settings';
import { EmbeddingCache } from './cache/embeddingCache';
import { Chunker } from './chunker/chunker';
import { EmbedderPool, WorkerStats } from './embedder/embedderPool';
import { choosePoolShape } from './embedder/poolShape';
import { defaultWorkerScript } from './embedder/workerScript';
import { indexFolder, IndexProgress } from './indexer/indexer';
import { RssMonitor } from './indexer/rssMonitor';
import { locateModel, ModelFiles } from './model/modelFiles';
import { ModelTokenizer } from './model/tokenizer';
import { searchStore } from './search/search';
import { dirSizeBytes, loadStore, saveStore, STORE_FORMAT } from './store/storeFolder';
import { VectorStore } from './store/vectorStore';
import type { FileReport, SearchHit } from './types';

export interface IndexSummary {
  root: string;
  files: { indexed: number; skipped: Record<string, number>; failed: number };
  chunks: number;
  embedded: number;
  cacheHits: number;
  tokens: number;
  seconds: number;
  tokensPerSecond: number;
  peakRssMB: number;
  storeBytes: number;
  workers: WorkerStats[];
  cancelled: boolean;
}

export interface EngineOptions {
  settings: EngineSettings;
  storeDir: string;
  workerScript?: string;
  /** Seconds a worker may take on one batch before it is killed and the batch retried. */
  batchTimeoutMs?: number;
}

export class Engine {
  private pool?: EmbedderPool;
  /** The store last indexed or loaded, kept so repeated searches do not read it from disk again. */
  private loaded?: { store: VectorStore; files: FileReport[] };
  private readonly cache: EmbeddingCache;
  private settings: EngineSettings;

  private constructor(private readonly opts: EngineOptions, readonly model: ModelFiles, readonly dims: number, private readonly tokenizer: ModelTokenizer) {
    this.settings = opts.settings;
    this.cache = new EmbeddingCache(opts.settings.cacheMB * 1048576);
  }

  /** Finds the model and loads its tokenizer; throws a one-line error when the model is missing. */
  static async open(opts: EngineOptions): Promise<Engine> {
    const model = locateModel(opts.settings.modelsDir, opts.settings.modelId);
    const config = JSON.parse(fs.readFileSync(path.join(model.dir, 'config.json'), 'utf8')) as { hidden_size?: number };
    const tokenizer = await ModelTokenizer.load(model);
    return new Engine(opts, model, config.hidden_size ?? 384, tokenizer);
  }

  /** Settings that need no restart (batch size) apply to the next batch. */
  updateSettings(settings: EngineSettings): void {
    this.settings = settings;
  }

  workerStats(): WorkerStats[] {
    return this.pool?.stats() ?? [];
  }

  async index(root: string, onProgress: (p: IndexProgress) => void = () => {}, signal?: AbortSignal): Promise<IndexSummary> {
    const absRoot = path.resolve(root);
    if (!fs.existsSync(absRoot) || !fs.statSync(absRoot).isDirectory()) throw new Error(`${absRoot} is not a folder; give the path of the folder to index.`);
    const started = performance.now();
    const pool = await this.startPool(this.settings.poolSize);
    const rss = new RssMonitor(() => pool.pids(), () => pool.stats().reduce((s, w) => s + w.rssMB * 1048576, 0));
    rss.start();
    const store = VectorStore.create(this.dims);
    const chunker = await Chunker.create();
    // A store kept inside the indexed folder (index . --store .semsearch) must never index itself.
    const storeRel = path.relative(absRoot, path.resolve(this.opts.storeDir)).split(path.sep).join('/');
    const storeInside = storeRel !== '' && !storeRel.startsWith('../') && storeRel !== '..' && !path.isAbsolute(storeRel);
    const storeGlob = storeInside ? [`/${storeRel.replace(/[\\*?[\]!#]/g, '\\$&')}/`] : [];
    try {
      const out = await indexFolder(absRoot, {
        modelId: this.model.modelId, settings: () => ({ ...this.settings, excludeGlobs: [...this.settings.excludeGlobs, ...storeGlob] }),
        tokenizer: this.tokenizer, chunker, embedder: pool, maxBatchesInFlight: pool.stats().length * 2, cache: this.cache, store,
      }, onProgress, signal);
      if (storeInside && out.ledger.get(`${storeRel}/`)) {
        out.ledger.skip({ path: `${storeRel}/`, status: 'skipped', reason: 'excluded-folder', detail: 'The folder this index is stored in (--store), which is never indexed.', chunks: 0 });
      }
      const files = out.ledger.reports();
      saveStore(this.opts.storeDir, {
        format: STORE_FORMAT, modelId: this.model.modelId, dims: this.dims, maxChunkTokens: this.settings.maxChunkTokens,
        root: absRoot, indexedAt: new Date().toISOString(),
      }, store, files);
      this.loaded = { store, files };
      rss.stop();
      const seconds = (performance.now() - started) / 1000;
      return {
        root: absRoot, files: out.ledger.summary(), chunks: store.count, embedded: out.embedded, cacheHits: out.cacheHits,
        tokens: out.tokens, seconds: round(seconds, 2), tokensPerSecond: Math.round(out.tokens / seconds),
        peakRssMB: Math.round(rss.peakBytes / 1048576), storeBytes: dirSizeBytes(this.opts.storeDir), workers: pool.stats(),
        cancelled: out.cancelled,
      };
    } finally {
      rss.stop();
    }
  }

  async search(query: string, k: number): Promise<SearchHit[]> {
    const { store } = this.loadedStore();
    // One query needs one worker, with every core.
    const pool = await this.startPool(1);
    return searchStore(query, k, { tokenizer: this.tokenizer, embedder: pool, store, maxTokens: this.settings.maxChunkTokens });
  }

  files(): FileReport[] {
    return this.loadedStore().files;
  }

  private loadedStore(): { store: VectorStore; files: FileReport[] } {
    this.loaded ??= loadStore(this.opts.storeDir, this.model.modelId, this.settings.maxChunkTokens);
    return this.loaded;
  }

  async dispose(): Promise<void> {
    await this.pool?.dispose();
    this.pool = undefined;
  }

  private async startPool(requestedSize: number): Promise<EmbedderPool> {
    if (this.pool) return this.pool;
    const shape = choosePoolShape(requestedSize);
    this.pool = await EmbedderPool.start({
      onnxPath: this.model.onnxPath, workerScript: this.opts.workerScript ?? defaultWorkerScript(),
      size: shape.size, threadsPerWorker: shape.threadsPerWorker, memoryLimitMB: this.settings.workerMemoryLimitMB,
      batchTimeoutMs: this.opts.batchTimeoutMs ?? 60_000, maxAttempts: 3,
    });
    return this.pool;
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
