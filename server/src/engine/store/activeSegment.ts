// The segment chunks are added to: its codes, columns and lexical builder in memory, its graph on the graph
// thread (remoteGraph.ts). Sealing writes its four files; the store then opens them as a SealedSegment and
// starts a new active segment.

import { LexicalBuilder } from '../lexical/lexicalBuilder';
import type { TermOptions } from '../lexical/codeTerms';
import { ChunkColumns, ChunkMeta } from './chunkColumns';
import { DeadRows } from './deadRows';
import type { RowHit } from './graph';
import { answered, RemoteGraph } from './remoteGraph';
import { forEachCode, Segment } from './segment';
import { segmentFiles, SegmentFileSet } from './segmentFiles';
import type { SealedSegment } from './sealedSegment';
import { errnoError, storeFs } from './storeFs';
import { CodeRows, decodeRow, unit } from './vectorCodes';
import { tempNameOf } from './storeTemp';
import { Steps, writeInSteps } from './steps';

/** Vectors wait here until this many go to the graph thread in one message (and into the graph in one call). */
const GRAPH_BATCH = 256;

export class ActiveSegment implements Segment {
  readonly columns = new ChunkColumns();
  readonly dead = new DeadRows();
  private readonly codeRows: CodeRows;
  private readonly graph: RemoteGraph;
  private pending: number[] = [];
  private pendingVectors: Float32Array[] = [];
  private graphDropped = false;

  /** `id` changes only before the segment's first seal (ChunkSegments.renumberActive). */
  private constructor(
    public id: number,
    readonly dims: number,
    readonly lexical: LexicalBuilder,
  ) {
    this.codeRows = new CodeRows(dims);
    this.graph = new RemoteGraph(dims);
  }

  static create(id: number, dims: number, terms: TermOptions): ActiveSegment {
    return new ActiveSegment(id, dims, new LexicalBuilder(terms));
  }

  /**
   * A new active segment that starts with the live rows of a small sealed one (renumbered from 0), so that
   * checkpoints and small saves do not leave ever more small segments behind. Returns with it the new row
   * of each old row (-1: a removed one, dropped), for the store's path map.
   */
  static absorbing(id: number, from: SealedSegment, terms: TermOptions): { segment: ActiveSegment; rowMap: Int32Array } {
    const rowMap = new Int32Array(from.rows).fill(-1);
    let next = 0;
    for (let row = 0; row < from.rows; row++) if (!from.dead.has(row)) rowMap[row] = next++;
    const segment = new ActiveSegment(id, from.dims, LexicalBuilder.fromSegment(from.lexical, rowMap, terms));
    forEachCode(from, (old, code) => {
      if (rowMap[old] < 0) return;
      const vector = decodeRow(code, from.dims);
      const row = segment.columns.push(from.columns.meta(old));
      segment.codeRows.push(vector);
      segment.queue(row, vector);
    });
    segment.flush();
    return { segment, rowMap };
  }

  get rows(): number {
    return this.columns.count;
  }

  add(meta: ChunkMeta, vector: Float32Array, text: string): number {
    const row = this.columns.push(meta);
    this.codeRows.push(vector);
    this.lexical.add(row, { path: meta.path, symbol: meta.symbol, kind: meta.kind, text });
    this.queue(row, vector);
    return row;
  }

  /** Marks a row removed; `fromGraph` false once the segment is being sealed (its graph file is written from it). */
  remove(row: number, fromGraph = true): void {
    if (this.dead.has(row)) return;
    this.dead.mark(row);
    if (!fromGraph) return;
    this.flush();
    this.graph.remove(row);
  }

  graphSearch(vector: Float32Array, k: number): Promise<RowHit[]> {
    // A search that took this segment before its seal ended asks nothing of a freed graph.
    if (this.graphDropped) return Promise.resolve([]);
    this.flush();
    return this.graph.search(vector, k);
  }

  /** Resolves once the graph thread has caught up with the adds sent; undefined when it has (remoteGraph.ts). */
  backlog(): Promise<void> | undefined {
    return this.graph.backlog();
  }

  code(row: number): Buffer {
    return this.codeRows.row(row);
  }

  codes(first: number, count: number): Buffer {
    return this.codeRows.bytes().subarray(first * this.codeRows.rowBytes, (first + count) * this.codeRows.rowBytes);
  }

  /**
   * Writes the segment's files under temp names in `dir` (tempNameOf) and returns their final names, in
   * steps (steps.ts). The segment takes no more rows once this has begun: the store has frozen it.
   */
  *writeSteps(dir: string): Steps<SegmentFileSet> {
    this.flush();
    yield;
    const files = segmentFiles(dir, this.id);
    const temp = (f: string) => tempNameOf(f);
    // usearch writes through its own stream: creating the file first turns a forbidden folder into an error here.
    storeFs.writeFileSync(temp(files.graph), '');
    yield* answered(storeFs.saveGraph(this.graph, temp(files.graph)));
    yield* writeInSteps(temp(files.codes), this.codeRows.bytes());
    yield;
    yield* this.columns.writeSteps(temp(files.columns));
    yield;
    yield* this.lexical.writeSteps(temp(files.lexical));
    return files;
  }

  /**
   * Checks the graph file writeSteps() wrote (renamed to its final name): usearch checks a file's structure
   * when it maps it, and a graph file shorter than the graph is what a disk that filled up under the native
   * writer leaves. The graph stays whole whatever the check finds (it is mapped apart, on the thread).
   */
  *checkGraphSteps(file: string, emptyFile: string): Steps<void> {
    try {
      yield* answered(this.graph.check(file, emptyFile));
    } catch (e) {
      throw /corrupted|holds \d+ vectors/i.test((e as Error).message) ? errnoError('ENOSPC', 'write', file) : e;
    }
  }

  /** Frees the graph once the segment is searched from its files; it takes no rows afterwards. */
  dropGraph(emptyFile?: string): void {
    this.graphDropped = true;
    this.graph.drop(emptyFile);
  }

  private queue(row: number, vector: Float32Array): void {
    this.pending.push(row);
    this.pendingVectors.push(unit(vector));
    if (this.pending.length >= GRAPH_BATCH) this.flush();
  }

  private flush(): void {
    const n = this.pending.length;
    if (n === 0) return;
    const keys = new BigUint64Array(n);
    const matrix = new Float32Array(n * this.dims);
    for (let i = 0; i < n; i++) {
      keys[i] = BigInt(this.pending[i]);
      matrix.set(this.pendingVectors[i], i * this.dims);
    }
    this.pending = [];
    this.pendingVectors = [];
    this.graph.add(keys, matrix);
  }
}
