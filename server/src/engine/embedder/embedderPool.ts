// A pool of forked embedder processes. Batches queue here and go to whichever worker is idle.
// Invariants: a batch resolves exactly once, with one vector per sequence, or rejects after maxAttempts
// failures; a worker that dies, hangs or times out is replaced and its batch retried; a worker over its
// memory limit is replaced between batches. Nothing a worker does can crash the engine.

import { EventEmitter } from 'node:events';
import { WorkerExitError, WorkerProcess } from './workerProcess';

export interface PoolOptions {
  onnxPath: string;
  workerScript: string;
  size: number;
  threadsPerWorker: number;
  memoryLimitMB: number;
  batchTimeoutMs: number;
  maxAttempts: number;
}

export interface WorkerStats {
  slot: number;
  pid: number;
  rssMB: number;
  batches: number;
  restarts: number;
  lastRestartReason: string;
}

interface Job {
  seqs: Int32Array[];
  /** A search query: it goes ahead of index batches, so a search during a long run waits for at most the
   *  batches already running, not for the whole queue. */
  urgent: boolean;
  attempts: number;
  resolve: (v: Float32Array[]) => void;
  reject: (e: Error) => void;
}

interface Slot {
  index: number;
  worker?: WorkerProcess;
  busy: boolean;
  batches: number;
  restarts: number;
  lastRestartReason: string;
  failedStarts: number;
}

/** Thrown when no worker can load the model: retrying would only loop. */
export class PoolFatalError extends Error {}

const MAX_FAILED_STARTS = 3;
/** Queries are short; 16 of them together cost about what one index batch does. */
const QUERY_BATCH = 16;

export class EmbedderPool extends EventEmitter {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  /** Workers still loading the model: dispose must reach them too, or they outlive the pool. */
  private readonly starting = new Set<WorkerProcess>();
  private fatal?: Error;
  private disposed = false;

  private constructor(private readonly opts: PoolOptions) {
    super();
    this.slots = Array.from({ length: opts.size }, (_, index) => ({
      index,
      busy: false,
      batches: 0,
      restarts: 0,
      lastRestartReason: '',
      failedStarts: 0,
    }));
  }

  /** Starts every worker and waits until each has loaded the model; fails with the model's error otherwise. */
  static async start(opts: PoolOptions): Promise<EmbedderPool> {
    const pool = new EmbedderPool(opts);
    try {
      await Promise.all(pool.slots.map(s => pool.startWorker(s)));
    } catch (e) {
      await pool.dispose();
      throw e;
    }
    if (pool.fatal) {
      await pool.dispose();
      throw pool.fatal;
    }
    return pool;
  }

  /** Embeds a batch; `urgent` (a search query) queues it after other urgent batches but before index batches. */
  embed(seqs: Int32Array[], urgent = false): Promise<Float32Array[]> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.disposed) return Promise.reject(new Error('The embedder pool was stopped.'));
    return new Promise((resolve, reject) => {
      const job: Job = { seqs, urgent, attempts: 0, resolve, reject };
      const firstOrdinary = urgent ? this.queue.findIndex(j => !j.urgent) : -1;
      if (firstOrdinary < 0) this.queue.push(job);
      else this.queue.splice(firstOrdinary, 0, job);
      this.dispatch();
    });
  }

  stats(): WorkerStats[] {
    return this.slots.map(s => ({
      slot: s.index,
      pid: s.worker?.pid ?? 0,
      rssMB: Math.round((s.worker?.rssBytes ?? 0) / 1048576),
      batches: s.batches,
      restarts: s.restarts,
      lastRestartReason: s.lastRestartReason,
    }));
  }

  pids(): number[] {
    return this.slots.flatMap(s => (s.worker?.isAlive ? [s.worker.pid] : []));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('The embedder pool was stopped.'));
    const workers = [...this.starting, ...this.slots.flatMap(s => (s.worker ? [s.worker] : []))];
    for (const s of this.slots) s.worker = undefined;
    await Promise.all(
      workers.map(w => {
        w.kill();
        return w.exited;
      }),
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy || !slot.worker) continue;
      void this.run(slot, slot.worker, this.takeJob());
    }
  }

  private async run(slot: Slot, worker: WorkerProcess, job: Job): Promise<void> {
    slot.busy = true;
    job.attempts++;
    this.emit('batch-start', { slot: slot.index, pid: worker.pid, attempt: job.attempts, size: job.seqs.length });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new WorkerExitError(`embedder worker ${worker.pid} did not answer within ${this.opts.batchTimeoutMs / 1000}s`)),
        this.opts.batchTimeoutMs,
      );
    });
    try {
      const vectors = await Promise.race([worker.embed(job.seqs), timeout]);
      slot.batches++;
      job.resolve(vectors);
      if (worker.rssBytes > this.opts.memoryLimitMB * 1048576) {
        await this.replace(slot, `RSS ${Math.round(worker.rssBytes / 1048576)} MB passed the ${this.opts.memoryLimitMB} MB limit`);
      }
    } catch (e) {
      const reason = (e as Error).message;
      // Requeue first so an idle sibling can take the batch while this slot reloads the model.
      this.retryOrFail(job, reason);
      this.dispatch();
      if (e instanceof WorkerExitError) await this.replace(slot, reason);
    } finally {
      clearTimeout(timer);
      slot.busy = false;
      this.dispatch();
    }
  }

  /**
   * The next job; queries waiting together go to the worker as one batch (up to QUERY_BATCH sequences), so 50
   * searches at once cost a few model calls instead of 50. Padding does not change a vector.
   */
  private takeJob(): Job {
    const head = this.queue.shift()!;
    if (!head.urgent) return head;
    const group = [head];
    let size = head.seqs.length;
    while (this.queue[0]?.urgent && size + this.queue[0].seqs.length <= QUERY_BATCH) {
      const next = this.queue.shift()!;
      group.push(next);
      size += next.seqs.length;
    }
    if (group.length === 1) return head;
    return {
      seqs: group.flatMap(j => j.seqs),
      urgent: true,
      attempts: Math.max(...group.map(j => j.attempts)),
      resolve: vectors => {
        let at = 0;
        for (const j of group) {
          j.resolve(vectors.slice(at, at + j.seqs.length));
          at += j.seqs.length;
        }
      },
      reject: e => {
        for (const j of group) j.reject(e);
      },
    };
  }

  private retryOrFail(job: Job, reason: string): void {
    if (this.fatal) job.reject(this.fatal);
    else if (this.disposed) job.reject(new Error('The embedder pool was stopped.'));
    else if (job.attempts >= this.opts.maxAttempts) job.reject(new Error(`Embedding failed ${job.attempts} times: ${reason}`));
    else this.queue.unshift(job);
  }

  /** Kills the slot's worker (if still running) and starts a fresh one. */
  private async replace(slot: Slot, reason: string): Promise<void> {
    const old = slot.worker;
    slot.worker = undefined;
    slot.restarts++;
    slot.lastRestartReason = reason;
    this.emit('worker-restart', { slot: slot.index, pid: old?.pid, reason });
    if (old) {
      old.kill();
      await old.exited;
    }
    if (!this.disposed) await this.startWorker(slot);
  }

  private async startWorker(slot: Slot): Promise<void> {
    while (!this.disposed && !this.fatal) {
      const worker = WorkerProcess.spawn(this.opts.workerScript);
      this.starting.add(worker);
      try {
        await worker.init(this.opts.onnxPath, this.opts.threadsPerWorker);
        if (this.disposed) return;
        slot.worker = worker;
        slot.failedStarts = 0;
        this.emit('worker-ready', { slot: slot.index, pid: worker.pid });
        return;
      } catch (e) {
        worker.kill();
        await worker.exited;
        // A model that cannot load fails the same way every time: stop instead of looping.
        if (!(e instanceof WorkerExitError) || ++slot.failedStarts >= MAX_FAILED_STARTS) this.setFatal((e as Error).message);
      } finally {
        this.starting.delete(worker);
      }
    }
  }

  private setFatal(message: string): void {
    this.fatal = new PoolFatalError(message);
    for (const job of this.queue.splice(0)) job.reject(this.fatal);
  }
}
