// The kinds of indexing work the scheduler runs: a full run over folders (its progress in the health, its
// figures in the health's last run), the following of changed paths in one folder, and the save after it.

import { ProgressClock } from '../../../common/progress';
import type { Health } from '../../../common/protocol';
import { EmbedderUnavailableError, PoolFatalError, type IndexProgress } from '../engine';
import type { FolderLocks } from './folderLocks';
import type { SchedulerJobs } from './indexScheduler';
import { oneLine } from './logging';
import { RunProgress } from './runProgress';
import type { ServiceContext } from './serviceContext';
import type { WorkspaceFolder } from './workspaceFolders';

type IndexedFolder = WorkspaceFolder & Required<Pick<WorkspaceFolder, 'index'>>;

export class IndexJobs implements SchedulerJobs<WorkspaceFolder> {
  private run?: RunProgress;
  private updating?: NonNullable<Health['progress']>;
  lastRun?: Health['lastRun'];

  /** `locks`: only a folder whose store lock this process holds is indexed (and saved). */
  constructor(
    private readonly ctx: Pick<ServiceContext, 'folders' | 'log' | 'healthChanged' | 'failed' | 'fatal'>,
    private readonly locks: Pick<FolderLocks, 'owns'>,
  ) {}

  get progress(): Health['progress'] {
    return this.run?.snapshot() ?? this.updating;
  }

  async index(queued: WorkspaceFolder[], signal: AbortSignal): Promise<void> {
    const folders = queued.filter((f): f is IndexedFolder => this.mayWrite(f));
    if (folders.length === 0 || this.ctx.failed()) return;
    const run = (this.run = new RunProgress(folders.length, () => this.ctx.healthChanged()));
    const started = performance.now();
    const totals = { tokens: 0, embedded: 0 };
    try {
      for (const f of folders) {
        if (signal.aborted) break;
        const s = await f.index.index(run.folder(f.name), signal).catch(e => this.failed(f, e));
        if (s) {
          totals.tokens += s.tokens;
          totals.embedded += s.embedded;
          if (s.rebuilt) this.ctx.log.info(s.rebuilt);
          this.ctx.log.info(
            `${s.cancelled ? 'Stopped indexing' : 'Indexed'} ${f.name}: ${s.files.indexed} files, ${s.chunks} chunks (${s.embedded} embedded, ${s.reused} reused, ${s.cacheHits} from cache) in ${s.seconds}s.`,
          );
        }
        run.folderDone();
      }
    } finally {
      this.run = undefined;
      const seconds = Math.max((performance.now() - started) / 1000, 0.001);
      // A run that found nothing to embed says nothing of the speed: the last real run's figures stand.
      if (totals.embedded > 0) {
        this.lastRun = {
          seconds: Math.round(seconds * 100) / 100,
          tokens: totals.tokens,
          tokensPerSecond: Math.round(totals.tokens / seconds),
          embedded: totals.embedded,
          chunksPerSecond: Math.round(totals.embedded / seconds),
          finishedAt: new Date().toISOString(),
        };
      }
    }
  }

  async update(f: WorkspaceFolder, relPaths: string[], signal: AbortSignal): Promise<void> {
    // A read-only folder follows no changes: the run that starts once its lock is taken reconciles them.
    if (!this.mayWrite(f) || this.ctx.failed()) return;
    const clock = new ProgressClock();
    this.updating = clock.report({
      phase: 'updating',
      filesDone: 0,
      filesTotal: relPaths.length,
      bytesDone: 0,
      bytesTotal: 0,
      chunks: f.index.chunks,
      chunksStored: 0,
    });
    // A changed .gitignore re-runs the folder: its progress is a full run's (scanning, then indexing).
    const onProgress = (p: IndexProgress) => {
      this.updating = clock.report({ ...p, phase: p.phase === 'done' ? 'updating' : p.phase });
      this.ctx.healthChanged();
    };
    try {
      const out = await f.index.update(relPaths, signal, onProgress);
      this.ctx.log.info(
        `Followed ${relPaths.length} changed path(s) in ${f.name}: ${out.embedded} chunks embedded, ${out.cacheHits} from cache.`,
      );
    } catch (e) {
      this.failed(f, e);
    } finally {
      this.updating = undefined;
    }
  }

  /** A failed save is the index's save error (health, log, retries: IndexService), not a thrown one. */
  async save(f: WorkspaceFolder): Promise<void> {
    if (!this.mayWrite(f) || !f.index.hasUnsavedChanges) return;
    if (await f.index.saveInTurns()) this.ctx.log.info(`Saved the index of ${f.name}: ${f.index.chunks} chunks.`);
  }

  /** Still in the workspace (work queued before a folder left it is dropped), loaded, and this process's to write. */
  private mayWrite(f: WorkspaceFolder): f is IndexedFolder {
    return !!f.index && this.ctx.folders.has(f) && this.locks.owns(f);
  }

  private failed(f: WorkspaceFolder, e: unknown): undefined {
    // A model that cannot run, or an embedding endpoint that stayed unreachable or answers wrong, fails every
    // folder alike: the service goes to its error state with the one line (what the run saved is kept).
    if (e instanceof PoolFatalError || e instanceof EmbedderUnavailableError) this.ctx.fatal(e);
    else this.ctx.log.error(`Indexing ${f.name} failed: ${oneLine(e)}`);
    return undefined;
  }
}
