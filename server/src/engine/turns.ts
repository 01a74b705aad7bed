// An async loop whose awaits resolve at once (reads already done, an in-process model) runs on microtasks
// alone and never gives the event loop a turn: timers, I/O callbacks and the requests of whoever shares the
// process (the language server's searches, its health) wait for the whole loop; 1.2 s was measured on the
// Linux kernel. Such a loop calls giveTurn() between items: past SLICE_MS since the last turn, it waits one.
// The clock is shared by every loop in the process: loops that run in the same task (the indexer's, the embed
// queue's, a file's line tokenizing) would otherwise each take a whole slice before the first one yields.

import { setImmediate as nextTurn } from 'node:timers/promises';

const SLICE_MS = 20;

let lastTurn = performance.now();

/** Waits a turn of the event loop if this task has run SLICE_MS since the last one. */
export async function giveTurn(): Promise<void> {
  if (performance.now() - lastTurn >= SLICE_MS) await takeTurn();
}

/** Waits a turn of the event loop. */
export async function takeTurn(): Promise<void> {
  await nextTurn();
  lastTurn = performance.now();
}
