// The segment chunks are added to: its graph, codes, columns and lexical builder all in memory. Sealing
// writes its four files; the store then opens them as a SealedSegment and starts a new active segment.

import type { Index } from 'usearch';
import { LexicalBuilder } from '../lexical/lexicalBuilder';
import type { TermOptions } from '../lexical/codeTerms';
import { ChunkColumns, ChunkMeta } from './chunkColumns';
import { DeadRows } from './deadRows';
import { forEachCode, graphHits, newGraph, RowHit, Segment } from './segment';
import { segmentFiles, SegmentFileSet } from './segmentFiles';
import type { SealedSegment } from './sealedSegment';
import { errnoError, storeFs } from './storeFs';
import { CodeRows, decodeRow, unit } from './vectorCodes';
import { tempNameOf } from './storeTemp';
import type { Steps } from './steps';

/** Vectors wait here until this many can go into the graph in one call, on GRAPH_THREADS threads. */
const GRAPH_BATCH = 256;
const GRAPH_THREADS = 2;

export class ActiveSegment implements Segment {
  readonly columns = new ChunkColumns();
  readonly dead = new DeadRows();
  private readonly codeRows: CodeRows;
  private graph: Index;
  private pending: number[] = [];
  private pendingVectors: Float32Array[] = [];

  /** `id` changes only before the segment's first seal (ChunkSegments.renumberActive). */
  private constructor(
    public id: number,
    readonly dims: number,
    readonly lexical: LexicalBuilder,
  ) {
    this.codeRows = new CodeRows(dims);
    this.graph = newGraph(dims);
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
    this.graph.remove(BigInt(row));
  }

  graphSearch(vector: Float32Array, k: number): RowHit[] {
    this.flush();
    return graphHits(this.graph, vector, k);
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
    storeFs.saveGraph(this.graph, temp(files.graph));
    yield;
    storeFs.writeFileSync(temp(files.codes), this.codeRows.bytes());
    yield;
    this.columns.write(temp(files.columns));
    yield;
    yield* this.lexical.writeSteps(temp(files.lexical));
    return files;
  }

  /**
   * Checks the graph file writeSteps() wrote (renamed to its final name) and frees the graph's memory; the
   * segment must not be added to afterwards. usearch checks a file's structure when it maps it: a graph file
   * shorter than the graph is what a disk that filled up under the native writer leaves. Mapping it into
   * this graph is what frees the memory; mapping `emptyFile` (an index of nothing) then lets the big file go,
   * so its pages, all read by the check, do not stay counted in this process's memory: a sealed segment maps
   * its graph again when a search first needs it. A failed check rebuilds the graph from the codes, for the
   * next save.
   */
  releaseGraph(file: string, emptyFile: string): void {
    try {
      this.graph.view(file);
      this.graph.view(emptyFile);
    } catch (e) {
      this.graph = newGraph(this.dims);
      for (let row = 0; row < this.rows; row++) if (!this.dead.has(row)) this.queue(row, decodeRow(this.codeRows.row(row), this.dims));
      this.flush();
      throw /corrupted/i.test((e as Error).message) ? errnoError('ENOSPC', 'write', file) : e;
    }
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
    this.graph.add(keys, matrix, GRAPH_THREADS);
  }
}
