// The graph thread's code (bundled as dist/graphThread.js): it holds the in-memory segments' usearch graphs
// and does what the engine asks of them, in order (graphProtocol.ts). An error in a request nobody waits on
// (an add) is kept and given with the next answer about the same graph.

import { parentPort, workerData } from 'node:worker_threads';
import type { Index } from 'usearch';
import { graphHits, newGraph } from './graph';
import type { GraphReply, GraphRequest, GraphThreadData } from './graphProtocol';

/** usearch's own threads per insert: both cores, as when the graphs lived on the engine's thread. */
const INSERT_THREADS = 2;

const { replyPort, signal } = workerData as GraphThreadData;
/** A graph whose creation failed (no usearch build for this platform) keeps why, for every later answer. */
const graphs = new Map<number, { index?: Index; dims: number; failure?: string }>();

function reply(r: GraphReply): void {
  replyPort.postMessage(r);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function handle(req: GraphRequest): void {
  if (req.op === 'ping') return reply({ id: req.id });
  if (req.op === 'create') {
    try {
      graphs.set(req.graph, { index: newGraph(req.dims), dims: req.dims });
    } catch (e) {
      graphs.set(req.graph, { dims: req.dims, failure: messageOf(e) });
    }
    return;
  }
  const g = graphs.get(req.graph);
  if (req.op === 'drop') {
    graphs.delete(req.graph);
    try {
      if (g?.index && req.emptyFile) g.index.view(req.emptyFile);
    } catch {
      /* the store folder went (a test's, a removed folder's): the graph is freed at the thread's next gc instead */
    }
    return;
  }
  const answered = 'id' in req;
  if (!g || g.failure || !g.index) {
    if (answered) reply({ id: req.id, error: g?.failure ?? `graph ${req.graph} is gone` });
    return;
  }
  const index = g.index;
  try {
    switch (req.op) {
      case 'add':
        index.add(req.keys, req.vectors, INSERT_THREADS);
        return;
      case 'remove':
        index.remove(BigInt(req.key));
        return;
      case 'search': {
        const hits = graphHits(index, req.vector, req.k);
        return reply({ id: req.id, rows: hits.map(h => h.row), scores: hits.map(h => h.score) });
      }
      case 'save':
        index.save(req.file);
        return reply({ id: req.id });
      case 'check': {
        const saved = newGraph(g.dims);
        saved.view(req.file);
        const n = saved.size();
        saved.view(req.emptyFile);
        if (n !== index.size()) throw new Error(`${req.file} holds ${n} vectors where the graph holds ${index.size()}`);
        return reply({ id: req.id });
      }
    }
  } catch (e) {
    if (answered) return reply({ id: req.id, error: messageOf(e) });
    g.failure = messageOf(e);
  }
}

// Nothing a request does may end the thread: an engine waiting in place (Atomics.wait) would wait for good.
parentPort!.on('message', (req: GraphRequest) => {
  try {
    handle(req);
  } catch (e) {
    if ('id' in req) reply({ id: req.id, error: messageOf(e) });
  }
});
