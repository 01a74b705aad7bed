// The bound on requests waiting on an embedding endpoint at once. A request takes a slot for each try and
// gives it back before waiting to try again. A Retry-After holds every new try, not just the one told, since
// the endpoint is busy for all of them; and when a request gives up, those still waiting for a slot give up
// with it rather than each trying the dead endpoint through its own round of retries.

import { SlotQueue } from './slotQueue';

export class RequestSlots {
  private readonly slots: SlotQueue;
  private notBefore = 0;

  constructor(size: number) {
    this.slots = new SlotQueue(size);
  }

  /** Waits for a slot (a query, `urgent`, goes ahead of waiting index batches) and for any hold to pass. */
  async acquire(urgent = false): Promise<void> {
    await this.slots.take(urgent).ready;
    const hold = this.notBefore - Date.now();
    if (hold > 0) await new Promise(resolve => setTimeout(resolve, hold));
  }

  release(): void {
    this.slots.release();
  }

  /** No try starts before `ms` from now (the endpoint's Retry-After). */
  holdFor(ms: number): void {
    this.notBefore = Math.max(this.notBefore, Date.now() + ms);
  }

  /** Every request still waiting for a slot fails with `error`. */
  failWaiting(error: Error): void {
    this.slots.failWaiting(error);
  }
}
