// Pause and resume for indexing. Work passes the gate between batches (and between files), so a pause never
// cuts a batch in half; pause() settles once the batches already past the gate have come back, which is
// the moment embedding has really stopped. Queries do not go through the gate: search works while paused.

export class PauseGate {
  private paused = false;
  private active = 0;
  private readonly openWaiters: (() => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];

  get isPaused(): boolean {
    return this.paused;
  }

  /** Closes the gate; resolves when no work that passed it is still running. */
  pause(): Promise<void> {
    this.paused = true;
    return this.active === 0 ? Promise.resolve() : new Promise(r => this.drainWaiters.push(r));
  }

  resume(): void {
    this.paused = false;
    for (const wake of this.openWaiters.splice(0)) wake();
  }

  /** Waits while paused. A cancelled run passes anyway: it has to wind down even when paused. */
  wait(signal?: AbortSignal): Promise<void> {
    if (!this.paused || signal?.aborted) return Promise.resolve();
    return new Promise(resolve => {
      this.openWaiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Runs `work` once the gate is open, counting it as running until it settles. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.wait(signal);
    this.active++;
    try {
      return await work();
    } finally {
      if (--this.active === 0) for (const wake of this.drainWaiters.splice(0)) wake();
    }
  }
}
