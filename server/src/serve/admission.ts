// How many requests embed at once, and how many may wait for that: a request over the limit waits in a
// bounded queue, one over the queue is told to come back (429 with Retry-After) before its body is read.
// So memory is bounded by (limit + queue) requests, whatever the number of clients.

export interface Ticket {
  /** Resolves when the request may embed. */
  readonly ready: Promise<void>;
  /** Gives the place back (after the answer, or when the client went away while waiting); safe to call twice. */
  leave(): void;
}

export class Admission {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number, readonly queue: number) {}

  get runningCount(): number { return this.running; }
  get waitingCount(): number { return this.waiting.length; }

  /** A place, or undefined when the queue is full (the caller answers 429). */
  enter(): Ticket | undefined {
    if (this.running >= this.limit && this.waiting.length >= this.queue) return undefined;
    let holds = false;
    let left = false;
    let wake: (() => void) | undefined;
    const ready = new Promise<void>(resolve => {
      if (this.running < this.limit) { this.running++; holds = true; resolve(); return; }
      wake = () => { holds = true; resolve(); };
      this.waiting.push(wake);
    });
    return {
      ready,
      leave: () => {
        if (left) return;
        left = true;
        if (!holds) { this.waiting.splice(this.waiting.indexOf(wake!), 1); return; }
        const next = this.waiting.shift();
        if (next) next();   // the slot passes straight to the next in line
        else this.running--;
      },
    };
  }
}
