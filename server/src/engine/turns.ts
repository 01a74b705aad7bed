// An async loop whose awaits resolve at once (reads already done, an in-process model) runs on microtasks
// alone and never gives the event loop a turn: timers, I/O callbacks and the requests of whoever shares the
// process (the language server's searches, its health) wait for the whole loop; 1.2 s was measured on the
// Linux kernel. Such a loop calls pause() between items: past SLICE_MS since the last turn, it waits one.

import { setImmediate as nextTurn } from 'node:timers/promises';

const SLICE_MS = 20;

export class Turns {
  private last = performance.now();

  async pause(): Promise<void> {
    if (performance.now() - this.last < SLICE_MS) return;
    await nextTurn();
    this.last = performance.now();
  }
}
