// What the engine and the graph thread (graphThread.ts) say to each other. The thread holds the graphs of
// the segments still in memory (the active one, full ones being sealed), so that usearch's native work on
// them (inserting, growing its arrays, writing a 50 MB graph file) never blocks the engine's event loop.
// Requests are handled in the order sent; those with an `id` are answered on the reply port.

import type { MessagePort } from 'node:worker_threads';

export type GraphRequest =
  | { op: 'create'; graph: number; dims: number }
  /** Rows `keys` with their unit vectors, `keys.length` x dims, in one call on several threads. */
  | { op: 'add'; graph: number; keys: BigUint64Array; vectors: Float32Array }
  | { op: 'remove'; graph: number; key: number }
  | { op: 'search'; graph: number; id: number; vector: Float32Array; k: number }
  | { op: 'save'; graph: number; id: number; file: string }
  /** Maps the file a save wrote into a graph of its own and checks it holds as many vectors as the graph. */
  | { op: 'check'; graph: number; id: number; file: string; emptyFile: string }
  /** Frees the graph: mapping `emptyFile` (an index of nothing) over it gives its memory back at once. */
  | { op: 'drop'; graph: number; emptyFile?: string }
  /** Answered once every request before it is handled: how the engine waits for a backlog of adds. */
  | { op: 'ping'; id: number };

export interface GraphReply {
  id: number;
  /** What failed, here or in an earlier unanswered request on the same graph (an add, a remove). */
  error?: string;
  /** A search's rows and cosine similarities. */
  rows?: number[];
  scores?: number[];
}

/** What the thread is started with. */
export interface GraphThreadData {
  replyPort: MessagePort;
  /** [0]: replies sent, bumped after each one, so the engine can wait for one in place (Atomics.wait). */
  signal: Int32Array;
}
