// At most `size` holders at once, the others in line: a holder that releases passes its slot straight to the
// first in line, so a slot is never free while someone waits. Under serve's admission (a bounded line, 429
// past it) and the remote client's requests in flight (a Retry-After hold, queries ahead of index batches).

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface Place {
  /** Resolves once the slot is this holder's; rejects if failWaiting() came first. */
  readonly ready: Promise<void>;
  /** Leaves the line if still in it (true); false once the slot is held, which release() then gives back. */
  cancel(): boolean;
}

export class SlotQueue {
  private held = 0;
  private readonly line: Waiter[] = [];

  constructor(readonly size: number) {}

  get holding(): number {
    return this.held;
  }
  get waiting(): number {
    return this.line.length;
  }

  /** A slot now if one is free, else a place in line (at its front with `first`). */
  take(first = false): Place {
    if (this.held < this.size) {
      this.held++;
      return { ready: Promise.resolve(), cancel: () => false };
    }
    let waiter!: Waiter;
    const ready = new Promise<void>((resolve, reject) => {
      waiter = { resolve, reject };
    });
    if (first) this.line.unshift(waiter);
    else this.line.push(waiter);
    return {
      ready,
      cancel: () => {
        const i = this.line.indexOf(waiter);
        if (i < 0) return false;
        this.line.splice(i, 1);
        return true;
      },
    };
  }

  release(): void {
    const next = this.line.shift();
    if (next) next.resolve();
    else this.held--;
  }

  /** Everyone still in line fails with `error`. */
  failWaiting(error: Error): void {
    for (const w of this.line.splice(0)) w.reject(error);
  }
}
