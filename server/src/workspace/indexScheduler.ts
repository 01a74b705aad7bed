// Decides what indexing work runs next, one job at a time, since every job shares the embedder pool and a
// folder's store. Full runs come first; file changes wait until no new ones arrived for a short while
// (editors write a file in several steps, `git checkout` touches hundreds) and are then followed per folder.
// Changes that arrive during a full run are followed after it. Followed changes are saved once no more are
// waiting, so other processes reading the store (a second window, the MCP server, the CLI) see them within
// seconds, not at the next full run or at shutdown; a full run saves itself.

/** The work itself, per folder: F is the folder (the service's WorkspaceFolder; a test's names). */
export interface SchedulerJobs<F> {
  /** A full run over these folders. */
  index(folders: F[], signal: AbortSignal): Promise<void>;
  /** Follow these changed paths of one folder. */
  update(folder: F, relPaths: string[], signal: AbortSignal): Promise<void>;
  /** Save one folder's index (what following changes left unsaved). */
  save(folder: F): Promise<void>;
}

interface Running<F> {
  kind: 'index' | 'update' | 'save';
  folders: F[];
  relPaths: string[];
  abort: AbortController;
  /** Put the work back in the queue when aborted (superseded or interrupted, rather than cancelled by the user). */
  requeue: boolean;
}

export const CHANGE_DEBOUNCE_MS = 300;
/** A steady stream of changes (a build writing into the workspace) must not postpone them for ever. */
export const MAX_CHANGE_DELAY_MS = 2000;

export class IndexScheduler<F = string> {
  private readonly fullPending = new Set<F>();
  private readonly changed = new Map<F, Set<string>>();
  private readonly unsaved = new Set<F>();
  private current?: Running<F>;
  private loop?: Promise<void>;
  private debounce?: NodeJS.Timeout;
  private burstStart?: number;
  private held = false;

  constructor(
    private readonly jobs: SchedulerJobs<F>,
    private readonly onChange: () => void,
    private readonly onError: (e: unknown) => void,
    private readonly debounceMs = CHANGE_DEBOUNCE_MS,
  ) {}

  /** A full run is running or waiting: search results are partial. */
  get indexing(): boolean {
    return this.current?.kind === 'index' || this.fullPending.size > 0;
  }

  get busy(): boolean {
    return this.current !== undefined || this.fullPending.size > 0 || (this.changed.size > 0 && !this.debounce) || this.unsaved.size > 0;
  }

  /** Queues full runs; a run in progress restarts so it covers them (what it already did comes from the cache). */
  requestIndex(folders: F[]): void {
    for (const f of folders) this.fullPending.add(f);
    if (this.current?.kind === 'index') this.stopCurrent(true);
    this.kick();
  }

  pathsChanged(folder: F, relPaths: string[]): void {
    this.queueChanges(folder, relPaths);
    const now = performance.now();
    this.burstStart ??= now;
    if (this.debounce && now - this.burstStart >= MAX_CHANGE_DELAY_MS) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.burstStart = undefined;
      this.kick();
    }, this.debounceMs);
  }

  /** The user's cancel: the full run stops where it is and is not run again. */
  cancelIndex(): void {
    this.fullPending.clear();
    if (this.current?.kind === 'index') this.stopCurrent(false);
  }

  /** Forgets a folder's queued work (the folder left the workspace); the caller interrupts a running job first. */
  forget(folder: F): void {
    this.fullPending.delete(folder);
    this.changed.delete(folder);
    this.unsaved.delete(folder);
  }

  /** Stops the running job, keeping its work queued, and holds the queue until release(). */
  async interrupt(): Promise<void> {
    this.held = true;
    if (this.current) this.stopCurrent(true);
    await this.loop;
  }

  release(): void {
    this.held = false;
    this.kick();
  }

  /** Stops for good: nothing runs afterwards. */
  async dispose(): Promise<void> {
    clearTimeout(this.debounce);
    this.fullPending.clear();
    this.changed.clear();
    this.unsaved.clear();
    await this.interrupt();
  }

  private stopCurrent(requeue: boolean): void {
    const c = this.current!;
    c.requeue = requeue;
    c.abort.abort();
  }

  private kick(): void {
    if (this.loop || this.held) return;
    this.loop = this.drain().finally(() => {
      this.loop = undefined;
      this.onChange();
    });
    this.onChange();
  }

  private async drain(): Promise<void> {
    // `held` is asked before next() takes a job out of the queue: a job interrupt() just put back stays there.
    while (!this.held) {
      const job = this.next();
      if (!job) break;
      this.current = job;
      this.onChange();
      try {
        if (job.kind === 'index') await this.jobs.index(job.folders, job.abort.signal);
        else if (job.kind === 'update') await this.jobs.update(job.folders[0], job.relPaths, job.abort.signal);
        else await this.jobs.save(job.folders[0]);
      } catch (e) {
        this.onError(e);
      } finally {
        this.current = undefined;
        if (job.abort.signal.aborted && job.requeue) this.putBack(job);
        else if (job.kind === 'update') this.unsaved.add(job.folders[0]);
      }
    }
  }

  private next(): Running<F> | undefined {
    const abort = new AbortController();
    if (this.fullPending.size > 0) {
      const folders = [...this.fullPending];
      this.fullPending.clear();
      // A full run sees every change made before it reaches the file, and saves what it did.
      for (const f of folders) {
        this.changed.delete(f);
        this.unsaved.delete(f);
      }
      return { kind: 'index', folders, relPaths: [], abort, requeue: false };
    }
    if (this.debounce) return undefined;
    const first = this.changed.entries().next();
    if (!first.done) {
      const [folder, paths] = first.value;
      this.changed.delete(folder);
      return { kind: 'update', folders: [folder], relPaths: [...paths], abort, requeue: false };
    }
    const [folder] = this.unsaved;
    if (folder === undefined) return undefined;
    this.unsaved.delete(folder);
    return { kind: 'save', folders: [folder], relPaths: [], abort, requeue: false };
  }

  private putBack(job: Running<F>): void {
    if (job.kind === 'index') for (const f of job.folders) this.fullPending.add(f);
    else if (job.kind === 'update') this.queueChanges(job.folders[0], job.relPaths);
    else this.unsaved.add(job.folders[0]);
  }

  private queueChanges(folder: F, relPaths: string[]): void {
    let set = this.changed.get(folder);
    if (!set) this.changed.set(folder, (set = new Set()));
    for (const p of relPaths) set.add(p);
  }
}
