// The Health object the sidebar and status bar render, assembled from the engine and each folder's index
// (with each store's size on disk and the workers' RSS from /proc); the state is decided by the IndexService.

import type { FolderHealth, Health, IndexState, ModelProblem, WorkerHealth } from '../../../common/protocol';
import type { EngineSettings } from '../../../common/settings';
import { dirSizeBytes, rssOfPid, type Engine, type LockHolder } from '../engine';
import type { WorkspaceFolder } from './workspaceFolders';

export interface HealthInputs {
  state: IndexState;
  message?: string;
  problem?: ModelProblem;
  progress?: Health['progress'];
  folders: WorkspaceFolder[];
  engine?: Engine;
  settings: EngineSettings;
  lastRun?: Health['lastRun'];
  /** Who else holds a folder's store (it is read-only here), if anyone. */
  lockedBy?: (f: WorkspaceFolder) => LockHolder | undefined;
  /** Why a folder's store lock could not be written (read-only or full store folder), if so. */
  lockError?: (f: WorkspaceFolder) => string | undefined;
}

export function buildHealth(i: HealthInputs): Health {
  const folders = i.folders.map(f => folderHealth(f, i.lockedBy?.(f), i.lockError?.(f)));
  const cache = i.engine?.cache;
  const lookups = (cache?.hits ?? 0) + (cache?.misses ?? 0);
  return {
    state: i.state,
    ...(i.message !== undefined ? { message: i.message } : {}),
    ...(i.problem ? { problem: i.problem } : {}),
    ...(i.progress ? { progress: i.progress } : {}),
    folders,
    chunks: folders.reduce((n, f) => n + f.chunks, 0),
    vectors: i.folders.reduce((n, f) => n + (f.index?.vectors ?? 0), 0),
    cache: {
      hits: cache?.hits ?? 0,
      misses: cache?.misses ?? 0,
      hitRate: lookups ? round(cache!.hits / lookups, 4) : 0,
      entries: cache?.size ?? 0,
    },
    ...(i.lastRun ? { lastRun: i.lastRun } : {}),
    workers: (i.engine?.workerStats() ?? []).map((w): WorkerHealth => ({
      // The worker reports its RSS after each batch; /proc is fresher where there is one.
      pid: w.pid,
      rssMB: Math.round(rssOfPid(w.pid) / 1048576) || w.rssMB,
      batches: w.batches,
      restarts: w.restarts,
      lastRestartReason: w.lastRestartReason,
    })),
    model: {
      id: i.engine?.modelId ?? i.settings.modelId,
      dims: i.engine?.dims ?? 0,
      maxChunkTokens: i.settings.maxChunkTokens,
      inProcess: i.engine?.modelInProcess ?? false,
      ...(i.settings.embeddingEndpoint ? { sendsChunksTo: i.settings.embeddingEndpoint } : {}),
    },
  };
}

function folderHealth(f: WorkspaceFolder, holder: LockHolder | undefined, lockError: string | undefined): FolderHealth {
  const storeError = f.index?.saveError ? storeErrorLine(f.index.saveError) : lockError;
  return {
    uri: f.uri,
    name: f.name,
    files: f.index?.fileCounts() ?? { indexed: 0, skipped: {}, failed: 0 },
    chunks: f.index?.chunks ?? 0,
    storeBytes: dirSizeBytes(f.storeDir),
    ...(holder ? { lockedBy: { pid: holder.pid, since: holder.since } } : {}),
    ...(storeError ? { storeError } : {}),
    ...(f.index?.rebuiltBecause ? { rebuilt: f.index.rebuiltBecause } : {}),
  };
}

/** The store's line plus what the server does about it. */
export function storeErrorLine(saveError: string): string {
  return `${saveError} Indexing goes on and the save is retried.`;
}

function round(n: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}
