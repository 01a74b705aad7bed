import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newGraph } from '../../server/src/engine/store/graph';
import { answered as waitFor, RemoteGraph } from '../../server/src/engine/store/remoteGraph';
import { runInTurns, runNow } from '../../server/src/engine/store/steps';
import { unit } from '../../server/src/engine/store/vectorCodes';

const DIMS = 64;

function vectors(n: number, seed: number): Float32Array[] {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  return Array.from({ length: n }, () => unit(Float32Array.from({ length: DIMS }, rnd)));
}

/** Sends rows first..first+n-1 in one add, as ActiveSegment's flush does. */
function addRows(graph: RemoteGraph, vs: Float32Array[], first = 0): void {
  const keys = new BigUint64Array(vs.length);
  const matrix = new Float32Array(vs.length * DIMS);
  vs.forEach((v, i) => {
    keys[i] = BigInt(first + i);
    matrix.set(v, i * DIMS);
  });
  graph.add(keys, matrix);
}

/** A graph on the thread holding `n` rows of seeded vectors, with those vectors. */
function graphOf(n: number, seed: number): { graph: RemoteGraph; vs: Float32Array[] } {
  const graph = new RemoteGraph(DIMS);
  const vs = vectors(n, seed);
  addRows(graph, vs);
  return { graph, vs };
}

/** A saved graph file mapped in this thread, as a sealed segment maps it. */
function mapped(file: string): ReturnType<typeof newGraph> {
  const g = newGraph(DIMS);
  g.view(file);
  return g;
}

describe('graph thread (RemoteGraph)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A graph of nothing, as the store writes one per folder. */
  function emptyFile(): string {
    const file = path.join(dir, 'empty.graph');
    newGraph(DIMS).save(file);
    return file;
  }

  it('answers a search with what was added before it, in order, and forgets a removed row', async () => {
    const { graph, vs } = graphOf(300, 3);
    const [top] = await graph.search(vs[123], 3);
    assert.equal(top.row, 123);
    assert.ok(top.score > 0.999, `cosine ${top.score}`);
    graph.remove(123);
    assert.ok((await graph.search(vs[123], 5)).every(h => h.row !== 123));
    graph.drop();
  });

  it('saves a file that maps to the same graph, waited for in place or a turn at a time', async () => {
    const { graph, vs } = graphOf(500, 5);
    const now = path.join(dir, 'now.usearch');
    runNow(waitFor(graph.save(now)));
    const inTurns = path.join(dir, 'turns.usearch');
    await runInTurns(waitFor(graph.save(inTurns)));
    for (const file of [now, inTurns]) {
      runNow(waitFor(graph.check(file, emptyFile())));
      const g = mapped(file);
      assert.equal(g.size(), 500);
      assert.equal(Number(g.search(vs[42], 1, 1).keys[0]), 42);
    }
    graph.drop(emptyFile());
  });

  it('a file left short fails its check, and the graph stays whole for the next save', async () => {
    const { graph, vs } = graphOf(400, 7);
    const file = path.join(dir, 'short.usearch');
    runNow(waitFor(graph.save(file)));
    fs.truncateSync(file, fs.statSync(file).size - 7);
    assert.throws(() => runNow(waitFor(graph.check(file, emptyFile()))), /corrupt|holds \d+ vectors/i);
    assert.equal((await graph.search(vs[7], 1))[0].row, 7);
    runNow(waitFor(graph.save(file)));
    runNow(waitFor(graph.check(file, emptyFile())));
    graph.drop();
  });

  it('steps waiting on the thread can be taken over by a runner that runs them now', async () => {
    const { graph } = graphOf(3000, 23);
    const file = path.join(dir, 'taken.usearch');
    const steps = waitFor(graph.save(file));
    const first = steps.next(); // as runInTurns does: the call, to await
    assert.equal(first.done, false);
    runNow(steps); // a save that must finish now takes the rest over at once
    assert.equal(mapped(file).size(), 3000);
    graph.drop();
  });

  it('a save the disk refuses is an error of that save only', async () => {
    const { graph, vs } = graphOf(50, 9);
    const call = graph.save(path.join(dir, 'no-such-folder', 'g.usearch'));
    await call.settled;
    assert.throws(() => call.result());
    assert.equal((await graph.search(vs[3], 1))[0].row, 3);
    graph.drop();
  });

  it('bounds the adds waiting on the thread: backlog() resolves once it has caught up', async () => {
    const graph = new RemoteGraph(DIMS);
    const vs = vectors(64, 11);
    for (let batch = 0; batch < 100; batch++) addRows(graph, vs, batch * 64);
    const backlog = graph.backlog();
    assert.ok(backlog, 'a hundred batches sent at once are a backlog');
    await backlog;
    assert.equal(graph.backlog(), undefined);
    const file = path.join(dir, 'all.usearch');
    await runInTurns(waitFor(graph.save(file)));
    assert.equal(mapped(file).size(), 6400, 'every batch went in');
    graph.drop();
  });

  it('a drop whose empty file is gone (a removed store folder) leaves the thread running', async () => {
    const { graph: gone } = graphOf(10, 15);
    gone.drop(path.join(dir, 'no-such.graph'));
    const { graph, vs } = graphOf(20, 17);
    assert.equal((await graph.search(vs[4], 1))[0].row, 4);
    graph.drop();
  });

  it('a dropped graph answers no more', async () => {
    const { graph, vs } = graphOf(10, 13);
    graph.drop();
    await assert.rejects(graph.search(vs[0], 1), /gone/);
  });
});
