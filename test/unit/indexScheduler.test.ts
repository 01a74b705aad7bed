// The scheduler's order of work: full runs first, then followed changes per folder once they settle, then a
// save of each folder whose changes were followed (a full run saves itself).

import * as assert from 'node:assert/strict';
import { IndexScheduler, SchedulerJobs } from '../../server/src/workspace/indexScheduler';

class RecordingJobs implements SchedulerJobs<string> {
  readonly log: string[] = [];
  /** An update, once started, runs until aborted. */
  holdUpdates = false;
  private updateStarted?: () => void;
  readonly started = new Promise<void>(resolve => {
    this.updateStarted = resolve;
  });
  private readonly idleWaiters: (() => void)[] = [];

  async index(folders: string[]): Promise<void> {
    this.log.push(`index ${folders.join(',')}`);
  }

  async update(folder: string, relPaths: string[], signal: AbortSignal): Promise<void> {
    this.log.push(`update ${folder} ${relPaths.join(',')}`);
    this.updateStarted?.();
    if (this.holdUpdates) await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  async save(folder: string): Promise<void> {
    this.log.push(`save ${folder}`);
  }

  changed(scheduler: IndexScheduler): void {
    if (!scheduler.busy) for (const wake of this.idleWaiters.splice(0)) wake();
  }
  idle(): Promise<void> {
    return new Promise(resolve => this.idleWaiters.push(resolve));
  }
}

describe('index scheduler', () => {
  let jobs: RecordingJobs;
  let scheduler: IndexScheduler;

  beforeEach(() => {
    jobs = new RecordingJobs();
    scheduler = new IndexScheduler(
      jobs,
      () => jobs.changed(scheduler),
      e => {
        throw e;
      },
      0,
    );
  });
  afterEach(() => scheduler.dispose());

  it('saves a folder once its followed changes are done, after every update that was waiting', async () => {
    const idle = jobs.idle();
    scheduler.pathsChanged('a', ['x.ts']);
    scheduler.pathsChanged('b', ['y.ts']);
    await idle;
    assert.deepEqual(jobs.log, ['update a x.ts', 'update b y.ts', 'save a', 'save b']);
  });

  it("needs no save of its own after a full run, which covers the folder's changes too", async () => {
    const idle = jobs.idle();
    scheduler.pathsChanged('a', ['x.ts']);
    scheduler.requestIndex(['a']);
    await idle;
    assert.deepEqual(jobs.log, ['index a']);
  });

  it('an interrupted update is queued again, not lost, and runs (then saves) once the queue is released', async () => {
    jobs.holdUpdates = true;
    scheduler.pathsChanged('a', ['x.ts']);
    await jobs.started;
    await scheduler.interrupt();
    jobs.holdUpdates = false;
    const idle = jobs.idle();
    scheduler.release();
    await idle;
    assert.deepEqual(jobs.log, ['update a x.ts', 'update a x.ts', 'save a']);
  });

  it('an update stopped by a full run is not saved: the run redoes and saves it', async () => {
    jobs.holdUpdates = true;
    const idle = jobs.idle();
    scheduler.pathsChanged('a', ['x.ts']);
    await jobs.started;
    await scheduler.interrupt();
    scheduler.requestIndex(['a']);
    scheduler.release();
    await idle;
    assert.deepEqual(jobs.log, ['update a x.ts', 'index a']);
  });
});
