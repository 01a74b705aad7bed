// The one settings shape shared by the CLI, the language server and (later) the client.
// Keep defaults here so every front door agrees on them.

/** How a search finds code: by its words and its meaning fused (hybrid), by words only, or by meaning only. */
export const SEARCH_MODES = ['hybrid', 'lexical', 'semantic'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export interface EngineSettings {
  /** Chunks per embedding batch sent to one worker. Small batches pad less; measured best at 8 on 2 cores. */
  batchSize: number;
  /** Embedder worker processes; 0 = chosen from the core count. */
  poolSize: number;
  /** A worker whose RSS passes this many MB is restarted between batches. */
  workerMemoryLimitMB: number;
  /** Files larger than this are skipped without being read. */
  maxFileBytes: number;
  /** Extra gitignore-style globs to exclude, relative to the indexed folder. */
  excludeGlobs: string[];
  /** Model id: a folder name inside modelsDir. */
  modelId: string;
  /** Folder holding model folders; '' = the default (SEMSEARCH_MODEL_DIR or ~/.cache/semsearch/models). */
  modelsDir: string;
  /** Token budget of one chunk, [CLS] and [SEP] included; the model never truncates. */
  maxChunkTokens: number;
  /** At most this many chunks from one file; the rest are reported, not silently dropped. */
  maxChunksPerFile: number;
  /** Embedding cache bound in MB. */
  cacheMB: number;
  /** The search mode a query uses unless it names one. */
  searchMode: SearchMode;
}

export const DEFAULT_MODEL_ID = 'Xenova/all-MiniLM-L6-v2';

export const DEFAULT_SETTINGS: EngineSettings = {
  batchSize: 8,
  poolSize: 0,
  workerMemoryLimitMB: 1024,
  maxFileBytes: 1024 * 1024,
  excludeGlobs: [],
  modelId: DEFAULT_MODEL_ID,
  modelsDir: '',
  maxChunkTokens: 256,
  maxChunksPerFile: 200,
  cacheMB: 64,
  searchMode: 'hybrid',
};
