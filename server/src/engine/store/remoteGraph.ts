// The engine's side of the graph thread (graphThread.ts): one thread per process, started with the first
// in-memory segment, and a RemoteGraph per segment that forwards its graph's work there. Inserting a batch
// (15-60 ms, and up to ~90 ms when usearch grows its arrays) and writing a full segment's graph (60-140 ms)
// were the longest blocks of the engine's event loop on the Linux kernel; on the thread they block nothing.
// A search is a round trip; a save or a check can also be waited for in place (a save that must finish now).

import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { bundledScript } from '../bundledScript';
import type { RowHit } from './graph';
import type { GraphReply, GraphRequest, GraphThreadData } from './graphProtocol';
import type { Pending, Steps } from './steps';

/** Add batches sent before the sender waits for the thread to catch up: ~4 MB of vectors at 256 dimensions. */
const MAX_BACKLOG = 32;
/** How long a wait in place gives a silent thread before it gives up, in waits of BLOCK_SLICE_MS. */
const BLOCK_LIMIT_MS = 120_000;
const BLOCK_SLICE_MS = 50;

/** A request being answered: awaited (`settled`) or waited for in place (`block`), then read with `result`. */
export class ThreadCall implements Pending {
  readonly settled: Promise<void>;
  private answer?: GraphReply;
  private resolve!: () => void;

  constructor(
    readonly id: number,
    private readonly thread: GraphThread,
  ) {
    this.settled = new Promise(r => (this.resolve = r));
  }

  answered(r: GraphReply): void {
    this.answer = r;
    this.resolve();
  }

  get isAnswered(): boolean {
    return this.answer !== undefined;
  }

  block(): void {
    while (!this.answer) this.thread.pump(this.id);
  }

  /** The answer; throws what failed. Only once settled. */
  result(): GraphReply {
    if (!this.answer) throw new Error('the graph thread has not answered yet');
    if (this.answer.error !== undefined) throw new Error(this.answer.error);
    return this.answer;
  }
}

/**
 * Waits for a call to the graph thread (in place or a turn at a time, as the steps run) and throws what failed.
 * Yielded until answered: a seal running in turns may be taken over by a save that runs it now (or by another
 * runner) while it waits, and the new runner must wait on the same call.
 */
export function* answered(call: ThreadCall): Steps<void> {
  while (!call.isAnswered) yield call;
  call.result();
}

class GraphThread {
  private static current?: GraphThread;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly calls = new Map<number, ThreadCall>();
  private nextId = 1;
  private nextGraph = 1;
  private stopped?: string;

  private constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: GraphThreadData = { replyPort: port2, signal: this.signal };
    this.worker = new Worker(bundledScript('graphThread.js'), { workerData: data, transferList: [port2] });
    this.port.on('message', (r: GraphReply) => this.answer(r));
    // Neither keeps the process alive by itself: only a call being answered does (see ask()). After on(),
    // which refs the port.
    this.worker.unref();
    this.port.unref();
    this.worker.on('error', e => this.stop(e.message));
    this.worker.on('exit', code => this.stop(`it exited with code ${code}`));
  }

  /** The process's graph thread, started on first use (again, if the last one stopped). */
  static get(): GraphThread {
    if (!GraphThread.current || GraphThread.current.stopped) GraphThread.current = new GraphThread();
    return GraphThread.current;
  }

  newGraph(): number {
    return this.nextGraph++;
  }

  send(req: GraphRequest, transfer: ArrayBuffer[] = []): void {
    if (this.stopped) throw new Error(this.stopped);
    this.worker.postMessage(req, transfer);
  }

  ask(make: (id: number) => GraphRequest, transfer: ArrayBuffer[] = []): ThreadCall {
    const call = new ThreadCall(this.nextId++, this);
    this.calls.set(call.id, call);
    if (this.calls.size === 1) this.port.ref();
    try {
      this.send(make(call.id), transfer);
    } catch (e) {
      this.answer({ id: call.id, error: (e as Error).message });
    }
    return call;
  }

  /**
   * Handles the answers already sent, else waits for the next one in place (Atomics.wait). The thread never
   * ends on a bad request (graphThread.ts catches all); one that died anyway is given up on after
   * BLOCK_LIMIT_MS, since its 'exit' event cannot arrive while this thread waits.
   */
  pump(waitingFor: number): void {
    const started = performance.now();
    for (;;) {
      const sent = Atomics.load(this.signal, 0);
      const m = receiveMessageOnPort(this.port);
      if (m) return this.answer(m.message as GraphReply);
      if (this.stopped) return this.answer({ id: waitingFor, error: this.stopped });
      if (performance.now() - started > BLOCK_LIMIT_MS)
        return this.answer({ id: waitingFor, error: `semsearch's graph thread did not answer in ${BLOCK_LIMIT_MS / 1000} s` });
      Atomics.wait(this.signal, 0, sent, BLOCK_SLICE_MS);
    }
  }

  private answer(r: GraphReply): void {
    const call = this.calls.get(r.id);
    if (!call) return;
    this.calls.delete(r.id);
    if (this.calls.size === 0) this.port.unref();
    call.answered(r);
  }

  private stop(why: string): void {
    if (this.stopped) return;
    this.stopped = `semsearch's graph thread stopped (${why}); index the folder again`;
    for (const id of [...this.calls.keys()]) this.answer({ id, error: this.stopped });
  }
}

/** Graphs nobody dropped (a store let go without close()) are freed on the thread when collected here. */
const unreachable = new FinalizationRegistry<{ thread: GraphThread; graph: number }>(({ thread, graph }) => {
  try {
    thread.send({ op: 'drop', graph });
  } catch {
    /* the thread has stopped: nothing left to free */
  }
});

/** One in-memory segment's graph, held on the graph thread. */
export class RemoteGraph {
  private readonly thread = GraphThread.get();
  private readonly graph = this.thread.newGraph();
  private addsSinceCatchUp = 0;
  private catchUp?: ThreadCall;
  private dropped = false;

  constructor(readonly dims: number) {
    this.thread.send({ op: 'create', graph: this.graph, dims });
    unreachable.register(this, { thread: this.thread, graph: this.graph }, this);
  }

  /** Rows `keys` with their unit vectors (keys.length x dims); both arrays are handed over, not copied. */
  add(keys: BigUint64Array, vectors: Float32Array): void {
    this.thread.send({ op: 'add', graph: this.graph, keys, vectors }, [keys.buffer as ArrayBuffer, vectors.buffer as ArrayBuffer]);
    if (++this.addsSinceCatchUp >= MAX_BACKLOG && !this.catchUp) {
      this.addsSinceCatchUp = 0;
      const call = this.thread.ask(id => ({ op: 'ping', id }));
      this.catchUp = call;
      void call.settled.then(() => {
        if (this.catchUp === call) this.catchUp = undefined;
      });
    }
  }

  /** After MAX_BACKLOG adds: resolves once the thread has taken every add sent before then; undefined otherwise. */
  backlog(): Promise<void> | undefined {
    return this.catchUp?.settled;
  }

  remove(row: number): void {
    this.thread.send({ op: 'remove', graph: this.graph, key: row });
  }

  async search(vector: Float32Array, k: number): Promise<RowHit[]> {
    const call = this.thread.ask(id => ({ op: 'search', graph: this.graph, id, vector, k }));
    await call.settled;
    const { rows = [], scores = [] } = call.result();
    return rows.map((row, i) => ({ row, score: scores[i] }));
  }

  /** Writes the graph to `file` (after every add sent before). */
  save(file: string): ThreadCall {
    return this.thread.ask(id => ({ op: 'save', graph: this.graph, id, file }));
  }

  /** Checks the file save() wrote holds the whole graph (usearch checks its structure when it maps it). */
  check(file: string, emptyFile: string): ThreadCall {
    return this.thread.ask(id => ({ op: 'check', graph: this.graph, id, file, emptyFile }));
  }

  /** Frees the graph on the thread; `emptyFile` gives its memory back at once rather than at the thread's next gc. */
  drop(emptyFile?: string): void {
    if (this.dropped) return;
    this.dropped = true;
    unreachable.unregister(this);
    try {
      this.thread.send({ op: 'drop', graph: this.graph, emptyFile });
    } catch {
      /* the thread has stopped: nothing left to free */
    }
  }
}
