// The language server's indexing side, free of LSP: it owns the engine and one FolderIndex per workspace
// folder, runs full runs and file updates through the IndexScheduler, applies settings (restarting the pool
// or re-indexing only when the setting needs it) and decides the state the health reports.

import type { Health, IndexState, ModelProblem } from '../../../common/protocol';
import type { EngineSettings } from '../../../common/settings';
import {
  canDownload,
  defaultModelsDir,
  downloadModel,
  Engine,
  modelBaseUrl,
  ModelDamagedError,
  ModelNotFoundError,
  type FolderIndex,
  type StoreWriteError,
} from '../engine';
import { FolderLocks } from './folderLocks';
import { buildHealth, storeErrorLine } from './healthReport';
import { IndexJobs } from './indexJobs';
import { IndexScheduler } from './indexScheduler';
import { Logger, oneLine } from './logging';
import type { ServiceContext } from './serviceContext';
import { settingsChange } from './settingsResolver';
import { WorkspaceFolder, WorkspaceFolders } from './workspaceFolders';

export interface ServiceHost {
  log: Logger;
  /** The health may have changed (the publisher throttles). */
  healthChanged(): void;
}

export class IndexService {
  readonly folders: WorkspaceFolders;
  /** What the parts below share; built first (serviceContext.ts). */
  private readonly ctx: ServiceContext;
  private engine?: Engine;
  /** Why nothing can be indexed (the model is missing or cannot load), in one line. */
  private failure?: string;
  /** When the failure is the model's: what the user can do about it. */
  private problem?: ModelProblem;
  private downloading = false;
  private opened = false;
  private paused = false;
  private readonly jobs: IndexJobs;
  private readonly scheduler: IndexScheduler<WorkspaceFolder>;
  /** Which folders' stores this process may write; the others are searched read-only. */
  private readonly locks: FolderLocks;
  private lifecycle = Promise.resolve();
  private disposed = false;
  /** The embedding endpoint's API key (the client's SecretStorage, the MCP server's environment). */
  private embeddingApiKey?: string;
  /** Folders whose last save failed, each with the timer that retries it between runs. */
  private readonly saveRetries = new Map<WorkspaceFolder, NodeJS.Timeout>();

  /** `storesDir`: where each folder's store goes (storeLocation.ts's defaultStoresDir(), or a test's own). */
  constructor(
    storesDir: string,
    private settings: EngineSettings,
    host: ServiceHost,
  ) {
    this.folders = new WorkspaceFolders(storesDir);
    this.ctx = {
      log: host.log,
      folders: this.folders,
      healthChanged: () => host.healthChanged(),
      failed: () => this.failure !== undefined,
      fatal: e => this.fatal(e),
      lockTaken: f => this.lockTaken(f),
      savedByHolder: f => this.reloadSaved(f),
      lockWriteChanged: (f, error) => this.lockWriteChanged(f, error),
    };
    this.locks = new FolderLocks(this.ctx);
    this.jobs = new IndexJobs(this.ctx, this.locks);
    this.scheduler = new IndexScheduler(this.jobs, this.ctx.healthChanged, e =>
      this.ctx.log.error(`Indexing stopped unexpectedly: ${oneLine(e)}`),
    );
  }

  /** Loads the model and indexes every folder; a missing model leaves the service in the error state, alive. */
  start(folders: { uri: string; name: string }[], settings = this.settings): Promise<void> {
    // Queued like settings changes, so a change that arrives while the model loads cannot load a second engine.
    return this.serially(async () => {
      this.settings = settings;
      for (const f of folders) this.addFolder(f.uri, f.name);
      await this.openEngine();
      this.indexAll();
      this.opened = true;
      this.ctx.healthChanged();
    });
  }

  get currentEngine(): Engine | undefined {
    return this.engine;
  }
  get unavailableReason(): string | undefined {
    return this.failure ?? (this.opened ? undefined : 'The index is starting; try again in a moment.');
  }
  /** A full run is under way (or paused): results come from what is indexed so far. */
  get partial(): boolean {
    return this.scheduler.indexing;
  }
  get progress(): Health['progress'] {
    return this.jobs.progress;
  }

  state(): IndexState {
    if (this.failure) return 'error';
    if (!this.opened) return 'starting';
    if (this.paused) return 'paused';
    return this.scheduler.busy ? 'indexing' : 'idle';
  }

  health(): Health {
    return buildHealth({
      state: this.state(),
      message: this.failure,
      problem: this.problem,
      progress: this.progress,
      folders: this.folders.all(),
      engine: this.engine,
      settings: this.settings,
      lastRun: this.jobs.lastRun,
      lockedBy: f => this.locks.heldBy(f),
      lockError: f => this.locks.writeError(f),
    });
  }

  /** Applies settings in the order they arrive; only what a change needs is restarted. */
  applySettings(next: EngineSettings): Promise<void> {
    return this.serially(() => this.apply(next));
  }

  /** The user's request for a full run over some folders or all; after a failure, it retries the model first. */
  reindex(folders?: WorkspaceFolder[]): void {
    if (this.failure) void this.applySettings({ ...this.settings });
    else this.scheduler.requestIndex(folders ?? this.folders.all());
  }

  /**
   * Fetches the configured model (checksum-verified, into the models folder), then loads it and indexes.
   * Rejects with the download's one-line error; the service stays in its error state meanwhile.
   */
  async downloadModel(onProgress: (message: string, percentage?: number) => void): Promise<void> {
    const { modelId } = this.settings;
    if (!canDownload(modelId))
      throw new Error(`semsearch cannot download "${modelId}"; put its files in the models folder or choose another model.`);
    if (this.downloading) throw new Error(`The model "${modelId}" is being downloaded already; wait for that download to end.`);
    this.downloading = true;
    try {
      this.ctx.log.info(`Downloading the model ${modelId} from ${modelBaseUrl(modelId)}.`);
      const model = await downloadModel({
        modelsDir: this.settings.modelsDir || defaultModelsDir(),
        modelId,
        replace: this.problem?.kind === 'model-damaged',
        onProgress: p =>
          onProgress(
            p.done
              ? `${p.file}: ${(p.bytes / 1048576).toFixed(1)} MB, checked`
              : `${p.file}${p.totalBytes ? ` (${(p.totalBytes / 1048576).toFixed(1)} MB)` : ''}…`,
          ),
      });
      this.ctx.log.info(`The model ${modelId} is saved in ${model.dir}.`);
    } catch (e) {
      this.ctx.log.error(`Downloading the model failed: ${oneLine(e)}`);
      throw e;
    } finally {
      this.downloading = false;
    }
    await this.applySettings({ ...this.settings });
  }

  /** A new API key for the embedding endpoint; with an endpoint set, the model (the endpoint) reloads with it. */
  setEmbeddingApiKey(key: string | undefined): Promise<void> {
    return this.serially(async () => {
      const next = key || undefined;
      if (next === this.embeddingApiKey) return;
      this.embeddingApiKey = next;
      if (this.opened && this.settings.embeddingEndpoint) {
        this.ctx.log.info("The embedding endpoint's API key changed; connecting again.");
        await this.reopen();
      }
    });
  }

  /** Pausing resolves once the batches already sent have come back. */
  async setPaused(paused: boolean): Promise<void> {
    this.paused = paused;
    this.ctx.healthChanged();
    if (paused) await this.engine?.gate.pause();
    else this.engine?.gate.resume();
    this.ctx.healthChanged();
  }

  fileChanged(uri: string): void {
    const at = this.folders.locate(uri);
    if (at) this.scheduler.pathsChanged(at.folder, [at.relPath]);
  }

  addFolder(uri: string, name: string): void {
    const folder = this.folders.add(uri, name);
    if (!folder) {
      this.ctx.log.warn(`${uri} is not on the local disk, so it is not indexed.`);
      return;
    }
    this.locks.claim(folder);
    const holder = this.locks.heldBy(folder);
    if (holder)
      this.ctx.log.info(
        `Another semsearch process (pid ${holder.pid}, since ${holder.since}) is indexing ${name}; searching its saved index until it is free.`,
      );
    if (!this.engine) return;
    folder.index = this.openIndex(folder, this.engine);
    this.scheduler.requestIndex([folder]);
  }

  removeFolder(uri: string): Promise<void> {
    return this.serially(async () => {
      await this.scheduler.interrupt();
      const folder = this.folders.remove(uri);
      if (folder) {
        this.scheduler.forget(folder);
        this.saveUnsaved(folder);
        this.stopSaveRetries(folder);
        this.locks.release(folder);
      }
      this.scheduler.release();
    });
  }

  /** Waits for a model load or settings change under way, then stops everything; nothing runs afterwards. */
  dispose(): Promise<void> {
    return this.serially(async () => {
      this.disposed = true;
      await this.scheduler.dispose();
      for (const f of this.folders.all()) {
        this.saveUnsaved(f);
        this.stopSaveRetries(f);
      }
      this.locks.dispose();
      await this.engine?.dispose();
      this.engine = undefined;
    });
  }

  /** Engine and folder lifecycle changes run one after another, in the order they were asked for. */
  private serially(work: () => Promise<void>): Promise<void> {
    this.lifecycle = this.lifecycle
      .then(() => (this.disposed ? undefined : work()))
      .catch(e => this.ctx.log.error(`Applying settings failed: ${oneLine(e)}`));
    return this.lifecycle;
  }

  private async apply(next: EngineSettings): Promise<void> {
    const change = settingsChange(this.settings, next);
    this.settings = next;
    if (change.keys.length > 0) this.ctx.log.info(`Settings changed: ${change.keys.join(', ')}.`);
    if (change.model || !this.engine || this.failure) return this.reopen();
    this.engine.updateSettings(next);
    if (change.restartPool) {
      await this.scheduler.interrupt();
      await this.engine.restartPool();
      this.scheduler.release();
    }
    if (change.reindex) this.indexAll();
  }

  private async reopen(): Promise<void> {
    this.opened = false;
    await this.scheduler.interrupt();
    const old = this.engine;
    this.engine = undefined;
    for (const f of this.folders.all()) {
      this.saveUnsaved(f);
      f.index?.close();
      f.index = undefined;
    }
    await old?.dispose();
    await this.openEngine();
    this.indexAll();
    this.opened = true;
    this.scheduler.release();
  }

  /** Never retries a failed model by itself: only the user's reindex or a settings change does. */
  private indexAll(): void {
    if (this.engine && !this.failure) this.scheduler.requestIndex(this.folders.all());
  }

  private async openEngine(): Promise<void> {
    this.failure = undefined;
    this.problem = undefined;
    try {
      const engine = await Engine.open({ settings: this.settings, embeddingApiKey: this.embeddingApiKey });
      if (this.paused) void engine.gate.pause();
      this.engine = engine;
      for (const f of this.folders.all()) f.index = this.openIndex(f, engine);
      this.ctx.log.info(`Model ${engine.modelId} (${engine.dims} dimensions) loaded from ${engine.modelDir}.`);
    } catch (e) {
      this.fail(e);
    }
  }

  /** A model or endpoint that cannot work, met by a job: the error state, and the run stops. */
  private fatal(e: unknown): void {
    this.fail(e);
    this.scheduler.cancelIndex();
  }

  private lockTaken(f: WorkspaceFolder): void {
    this.ctx.log.info(`The index of ${f.name} is free again; reloading and indexing it.`);
    this.reloadSaved(f);
    this.scheduler.requestIndex([f]);
  }

  private lockWriteChanged(f: WorkspaceFolder, error: string | undefined): void {
    if (error) this.ctx.log.warn(error);
    else this.ctx.log.info(`The index folder of ${f.name} can be written again.`);
    this.ctx.healthChanged();
  }

  private fail(e: unknown): void {
    this.failure = oneLine(e);
    const kind = problemKind(e);
    this.problem = kind && { kind, modelId: this.settings.modelId, canDownload: canDownload(this.settings.modelId) };
    this.ctx.log.error(this.failure);
    this.ctx.healthChanged();
  }

  /** Loads the folder's saved index again (written by the process that held its lock). */
  private reloadSaved(f: WorkspaceFolder): void {
    if (this.engine && !this.disposed && this.folders.find(f.uri) === f) {
      f.index?.close();
      f.index = this.openIndex(f, this.engine);
    }
    this.ctx.healthChanged();
  }

  /** A failed save is logged by the index's listener; at shutdown the store on disk stays the previous one. */
  private saveUnsaved(f: WorkspaceFolder): void {
    try {
      if (f.index?.hasUnsavedChanges) f.index.trySave();
    } catch (e) {
      this.ctx.log.warn(`Could not save the index of ${f.name}: ${oneLine(e)}`);
    }
  }

  private openIndex(f: WorkspaceFolder, engine: Engine): FolderIndex {
    const index = engine.folder(f.realRoot, f.storeDir, true);
    index.onSaveError = e => this.saveErrorChanged(f, e, engine.checkpoint.everyMs);
    return index;
  }

  /** Logs a save failure (or the recovery) once, republishes health, and retries while the failure stands. */
  private saveErrorChanged(f: WorkspaceFolder, e: StoreWriteError | undefined, retryMs: number): void {
    if (e) this.ctx.log.warn(storeErrorLine(e.message));
    else this.ctx.log.info(`The index of ${f.name} is saved again.`);
    this.stopSaveRetries(f);
    if (e && !this.disposed) {
      // Runs retry at their checkpoints and end; between runs nothing else would, so a timer does, until the disk takes it.
      const timer = setInterval(() => {
        if (!f.index?.saveError) this.stopSaveRetries(f);
        else if (!this.scheduler.busy) f.index.trySave(); // a run in progress owns the store until it ends
      }, retryMs);
      timer.unref();
      this.saveRetries.set(f, timer);
    }
    this.ctx.healthChanged();
  }

  private stopSaveRetries(f: WorkspaceFolder): void {
    clearInterval(this.saveRetries.get(f));
    this.saveRetries.delete(f);
  }
}

/** The model problem the user can fix (download, download again), if the failure is one. */
function problemKind(e: unknown): ModelProblem['kind'] | undefined {
  // A damaged file is a ModelNotFoundError too, so it is asked first.
  if (e instanceof ModelDamagedError) return 'model-damaged';
  if (e instanceof ModelNotFoundError) return 'model-missing';
  return undefined;
}
