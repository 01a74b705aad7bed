// SIGINT (Ctrl-C) and SIGTERM. While an index run can be stopped cleanly, the first signal stops it (the run
// saves what is embedded and releases its lock; the command then exits 130 or 143); a second signal, or one
// that comes when there is nothing to save (loading the model, waiting for the lock, a search), exits at
// once. The store lock is released at exit either way (storeLock.ts's exit hook).

import { EXIT } from './exitCodes';

type StopSignal = 'SIGINT' | 'SIGTERM';

export class Interrupts {
  private run?: AbortController;
  /** The first signal that came, if any. */
  received?: StopSignal;

  constructor(private readonly exit: (code: number) => never = code => process.exit(code)) {}

  install(): void {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => this.on(sig));
  }

  /** The code the process exits with after `received`. */
  get exitCode(): number | undefined {
    return this.received && EXIT[this.received];
  }

  /** Runs `work` with a signal the first SIGINT / SIGTERM aborts; outside it, a signal exits at once. */
  async stoppable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.run = new AbortController();
    try {
      return await work(this.run.signal);
    } finally {
      this.run = undefined;
    }
  }

  private on(sig: StopSignal): void {
    if (this.received || !this.run) this.exit(EXIT[sig]);
    this.received = sig;
    this.run!.abort();
  }
}
