// The bound on requests waiting on an embedding endpoint at once. A request takes a slot for each try and
// gives it back before waiting to try again. A Retry-After holds every new try, not just the one told, since
// the endpoint is busy for all of them; and when a request gives up, those still waiting for a slot give up
// with it rather than each trying the dead endpoint through its own round of retries.

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

export class RequestSlots {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private notBefore = 0;

  constructor(private readonly size: number) {}

  /** Waits for a slot (a query, `urgent`, goes ahead of waiting index batches) and for any hold to pass. */
  async acquire(urgent = false): Promise<void> {
    if (this.active < this.size && this.waiting.length === 0) this.active++;
    else await new Promise<void>((resolve, reject) => { const w = { resolve, reject }; if (urgent) this.waiting.unshift(w); else this.waiting.push(w); });
    const hold = this.notBefore - Date.now();
    if (hold > 0) await new Promise(resolve => setTimeout(resolve, hold));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();   // the slot passes straight to it
    else this.active--;
  }

  /** No try starts before `ms` from now (the endpoint's Retry-After). */
  holdFor(ms: number): void {
    this.notBefore = Math.max(this.notBefore, Date.now() + ms);
  }

  /** Every request still waiting for a slot fails with `error`. */
  failWaiting(error: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}
