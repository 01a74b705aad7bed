// Every custom request and notification between the extension (client/) and the language server (server/),
// declared once. Each is a namespace with a literal method and a typed type; the comment says who sends it
// and when. No vscode and no node imports here.

import { NotificationType, RequestType, RequestType0, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { ProgressReport } from './progress';
import type { SearchMode } from './settings';

export interface Position {
  line: number;
  character: number;
} // 0-based, as in LSP
export interface Range {
  start: Position;
  end: Position;
}

export interface SearchParams {
  query: string;
  k: number;
  /** Limit to one workspace folder (its URI). */
  folder?: string;
  /** Limit to paths matching this glob, relative to their workspace folder (e.g. "src/**"). */
  glob?: string;
  /** hybrid (words and meaning), lexical (words) or semantic (meaning); default: the searchMode setting. */
  mode?: SearchMode;
}

/** Why a result matched: the side(s) that found it, with rank and score, the query terms it holds, and the
 *  ranking rules that moved it ('defines', 'file-name', 'path-words', 'demoted'). */
export interface MatchWhy {
  lexical?: { rank: number; score: number; terms: string[] };
  semantic?: { rank: number; score: number };
  boosts: string[];
}

export interface SearchResultItem {
  uri: string;
  /** Relative to its workspace folder, '/' separators. */
  path: string;
  range: Range;
  symbol: string;
  kind: string;
  score: number;
  snippet: string;
  why: MatchWhy;
  /** URIs of other files holding this chunk's exact text (a copy, a bundle of the sources), collapsed into this result. */
  alsoIn?: string[];
}

export interface SearchResult {
  results: SearchResultItem[];
  /** True while the index is still being built: results come from what is indexed so far. */
  partial: boolean;
  filesIndexed: number;
  filesTotal: number;
}

export type IndexState = 'starting' | 'indexing' | 'idle' | 'paused' | 'error';

export interface FileCounts {
  indexed: number;
  skipped: Record<string, number>; // reason code -> count
  failed: number;
  /** The failed files by reason code, when there are any (health only). */
  failedReasons?: Record<string, number>;
}

export interface FolderHealth {
  uri: string;
  name: string;
  files: FileCounts;
  chunks: number;
  /** The folder's index on disk (vectors, graph, metadata), in bytes. */
  storeBytes: number;
  /** Another process (another window, the CLI) holds this folder's store: it is searched read-only, not indexed, until it frees. */
  lockedBy?: { pid: number; since: string };
  /** The saved index could not be used and was built again from nothing: why (another model, a damaged file). */
  rebuilt?: string;
  /**
   * This folder's index could not be written (full disk, read-only folder), in one line saying what to do; the
   * save (or the lock) is retried.
   */
  storeError?: string;
}

export interface WorkerHealth {
  pid: number;
  rssMB: number;
  batches: number;
  restarts: number;
  lastRestartReason: string;
}

/** Why nothing can be indexed, when the user can act on it: the model is not installed, or its files are
 *  damaged. The client offers the fixes (download, choose a models folder, the built-in model, the setting). */
export interface ModelProblem {
  kind: 'model-missing' | 'model-damaged';
  modelId: string;
  /** semsearch knows this model's files and checksums, so it can fetch it (DownloadModelRequest). */
  canDownload: boolean;
}

export interface Health {
  state: IndexState;
  /** What went wrong, in one line, when state is 'error'. */
  message?: string;
  /** With state 'error', when the model is the cause. */
  problem?: ModelProblem;
  /** While a run or an update is under way: counts, rates and ETA (common/progress.ts formats them). */
  progress?: ProgressReport;
  folders: FolderHealth[];
  chunks: number;
  vectors: number;
  cache: { hits: number; misses: number; hitRate: number; entries: number };
  /** The last run that embedded anything (a run that found nothing changed leaves it as it was). */
  lastRun?: { seconds: number; tokens: number; tokensPerSecond: number; embedded: number; chunksPerSecond: number; finishedAt: string };
  workers: WorkerHealth[];
  /** inProcess: the model runs in the language server itself (the embedded model), so there are no workers;
   *  sendsChunksTo: the embedding endpoint chunks are sent to (the embeddingEndpoint setting), when one is set. */
  model: { id: string; dims: number; maxChunkTokens: number; inProcess: boolean; sendsChunksTo?: string };
}

export interface FilesParams {
  folder: string; // workspace folder URI
  status: 'indexed' | 'skipped' | 'failed';
  reason?: string; // only files skipped for this reason
}

export interface FileItem {
  uri: string;
  path: string;
  status: 'indexed' | 'skipped' | 'failed';
  reason: string;
  detail?: string;
  chunks: number;
}

/** Client -> server, as the user types in the search Quick Pick (debounced; stale ones cancelled). */
export namespace SearchRequest {
  export const method = 'semsearch/search' as const;
  export const type = new RequestType<SearchParams, SearchResult, void>(method);
}

/** Client -> server, when a view opens: the current health. Later changes arrive as HealthNotification. */
export namespace HealthRequest {
  export const method = 'semsearch/health' as const;
  export const type = new RequestType0<Health, void>(method);
}

/** Server -> client, whenever the health changes (throttled): the sidebar and status bar render from it. */
export namespace HealthNotification {
  export const method = 'semsearch/healthChanged' as const;
  export const type = new NotificationType<Health>(method);
}

/** Client -> server, when a group in the health view is expanded: the files in it. */
export namespace FilesRequest {
  export const method = 'semsearch/files' as const;
  export const type = new RequestType<FilesParams, FileItem[], void>(method);
}

export interface FileTreeParams extends FilesParams {
  /** The folder path whose level is asked for: '' for the top, else e.g. "src/util" (no trailing '/'). */
  dir: string;
}

/** One level of a file group as a folder tree. A folder that holds only one folder is merged into it
 *  ("src/main/java"), as in VS Code's explorer. */
export interface FileTreeLevel {
  dirs: { path: string; files: number }[];
  files: FileItem[];
}

/** Client -> server, when a group or a folder in the health view is expanded: that level of its files. */
export namespace FileTreeRequest {
  export const method = 'semsearch/fileTree' as const;
  export const type = new RequestType<FileTreeParams, FileTreeLevel, void>(method);
}

/** Client -> server, from the Reindex button: rebuild one folder's index or all of them. */
export namespace ReindexRequest {
  export const method = 'semsearch/reindex' as const;
  export const type = new RequestType<{ folder?: string }, void, void>(method);
}

/** Client -> server, from the Pause/Resume button: stop or restart embedding without losing progress. */
export namespace PauseRequest {
  export const method = 'semsearch/pause' as const;
  export const type = new RequestType<{ paused: boolean }, void, void>(method);
}

/** Client -> server, from the "Download Model" action: fetch the configured model (checksum-verified), then
 *  load it and index. Pass a workDoneToken to get its progress; fails with one line (network, checksum). */
export namespace DownloadModelRequest {
  export const method = 'semsearch/downloadModel' as const;
  export const type = new RequestType<WorkDoneProgressParams, void, void>(method);
}

/**
 * Client -> server: the embedding endpoint's API key, kept in VS Code's SecretStorage (never in settings.json),
 * sent at start (initializationOptions.embeddingApiKey) and again whenever it changes; '' clears it. With an
 * endpoint set, a change reloads the model (the endpoint) with it.
 */
export namespace EmbeddingApiKeyRequest {
  export const method = 'semsearch/embeddingApiKey' as const;
  export const type = new RequestType<{ key: string }, void, void>(method);
}

/** Settings the server reads from the 'semsearch' configuration section (semsearch.<name>), by their setting names. */
export const CONFIG_SECTION = 'semsearch';

// What a change of each setting needs is its `effect` in SETTINGS (common/settings.ts).

/** The extension's agent tools as package.json declares them: the language-model tool (its schema and text are
 *  the MCP server's search_code, server/src/mcp/toolSchemas.ts) and the MCP server definition provider. */
export const SEARCH_TOOL_ID = 'semanticSearch_searchCode';
export const MCP_PROVIDER_ID = 'semanticSearch.mcp';
