// How many requests embed at once, and how many may wait for that: a request over the limit waits in a
// bounded queue, one over the queue is told to come back (429 with Retry-After) before its body is read.
// So memory is bounded by (limit + queue) requests, whatever the number of clients.

import { SlotQueue } from '../engine';

export interface Ticket {
  /** Resolves when the request may embed. */
  readonly ready: Promise<void>;
  /** Gives the place back (after the answer, or when the client went away while waiting); safe to call twice. */
  leave(): void;
}

export class Admission {
  private readonly slots: SlotQueue;

  constructor(
    readonly limit: number,
    readonly queue: number,
  ) {
    this.slots = new SlotQueue(limit);
  }

  get runningCount(): number {
    return this.slots.holding;
  }
  get waitingCount(): number {
    return this.slots.waiting;
  }

  /** A place, or undefined when the queue is full (the caller answers 429). */
  enter(): Ticket | undefined {
    if (this.slots.holding >= this.limit && this.slots.waiting >= this.queue) return undefined;
    const place = this.slots.take();
    let left = false;
    return {
      ready: place.ready,
      leave: () => {
        if (left) return;
        left = true;
        if (!place.cancel()) this.slots.release();
      },
    };
  }
}
