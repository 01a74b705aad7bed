// The engine's front door: everything the language server, the CLI, the MCP server and serve may use. Nothing
// else in server/ imports a module below server/src/engine (eslint.config.mjs forbids it), so what is not
// exported here can change without touching a door. Unit tests and benchmarks reach the insides they measure.

// The shared resources and one folder's index.
export { batchTimeoutFromEnv, Engine, type EngineOptions } from './engine';
export { FolderIndex, type IndexSummary, type ResumePoint } from './folderIndex';
export type { FileReport, SearchHit } from './types';
export type { IndexProgress } from './indexer/indexer';
export { rssOfPid } from './indexer/rssMonitor';

// Searching.
export { BadQueryError, MAX_K, MAX_QUERY_CHARS, Query } from './search/query';
export { FanOut } from './search/searcher';
export { queryIds } from './search/search';
export type { ChunkMeta } from './store/chunkSegments';

// Embedding backends and their failures (serve embeds through a backend directly).
export { EmbedderUnavailableError, type EmbedItem, type Embedder, type EmbeddingBackend } from './embedder/backend';
export { PoolFatalError } from './embedder/embedderPool';
export { openBackend } from './embedder/openBackend';
export { SlotQueue } from './embedder/slotQueue';
export { defaultWorkerScript } from './embedder/workerScript';

// Models on disk.
export { canDownload, downloadModel, ensureModel, modelBaseUrl } from './model/modelDownload';
export { defaultModelsDir, ModelDamagedError, modelIdFromEnv, ModelNotFoundError } from './model/modelFiles';

// Where a folder's index lives, who holds it, and why it cannot be written.
export { dirSizeBytes } from './store/storeFolder';
export { defaultStoreDir, defaultStoresDir, findDefaultStore, storeDirOfRealPath, userCacheDir } from './store/storeLocation';
export { type LockHolder, StoreLock } from './store/storeLock';
export { type StoreWriteError, writeFailureText } from './store/storeWriteError';

// Paths: what is inside a folder, and the folders never indexed.
export { isDefaultExcludedFolder } from './scanner/defaultExcludes';
export { pathInside } from './scanner/insideFolder';
