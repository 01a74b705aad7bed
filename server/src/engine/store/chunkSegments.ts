// The chunks of one folder index: vectors, metadata and lexical terms, in bounded segments (Lucene's shape).
// Chunks go into the active segment in memory; at SEGMENT_ROWS chunks, and at every save, it is sealed into
// four immutable files that are then searched from disk (graph memory-mapped, codes and postings read on
// demand), so memory stays near one segment's worth however large the repository. A removed chunk is a mark
// on its segment; a sealed segment left with few live rows is taken into the next active segment whole.
// Every search asks each segment and merges. A chunk's label is its segment id and row, valid while it lives.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LexicalField } from '../lexical/lexicalPart';
import { searchLexical } from '../lexical/lexicalSearch';
import { DEFAULT_TERM_OPTIONS, TermOptions } from '../lexical/codeTerms';
import { ActiveSegment } from './activeSegment';
import { ChunkMeta, chunkKeyId } from './chunkColumns';
import { DeadRows } from './deadRows';
import { SealedSegment } from './sealedSegment';
import { newGraph } from './graph';
import { exactScan, liveRows, searchSegments, Segment } from './segment';
import { SEGMENT_FILE_KINDS, segmentFiles, segmentIdOf } from './segmentFiles';
import { runInTurns, runNow, sha256InSteps, Steps } from './steps';
import { storeFs } from './storeFs';
import { tempNameOf } from './storeTemp';
import { decodeRow, normOf } from './vectorCodes';

export type { ChunkMeta };
export { chunkKeyId };

export interface ScoredChunk {
  label: number;
  meta: ChunkMeta;
  score: number; // cosine similarity
}

export interface LexicalChunkHit {
  label: number;
  score: number;
  terms: string[];
  meta: ChunkMeta;
}

/**
 * Rows per segment. A seal writes ~140 MB at this size (graph, codes, columns, postings), in steps of ~60 ms
 * at most (the graph is one native write); a search asks every segment, so fewer segments search faster:
 * at 65,536 rows the Linux kernel's 1.95 M chunks made 30 segments and a hybrid search p50 of 36 ms.
 */
export const SEGMENT_ROWS = 131_072;
const ROW_BITS = 2 ** 24;

/** What the manifest records of each sealed segment. */
export interface SegmentRecord {
  id: number;
  rows: number;
  /** sha256 of each of its files, by kind (SEGMENT_FILE_KINDS). */
  checksums: Record<string, string>;
  /** Its removed rows (DeadRows, base64), when it has any. */
  dead?: string;
}

export interface StoreLayout {
  dims: number;
  terms: TermOptions;
  segments: SegmentRecord[];
}

export class ChunkSegments {
  private sealed: { segment: SealedSegment; record: SegmentRecord }[] = [];
  /** Full segments in memory, being sealed (one at a time, in the background) or waiting for a save that works. */
  private frozen: ActiveSegment[] = [];
  private sealJob?: Steps<void>;
  private active?: ActiveSegment;
  private readonly byPath = new Map<string, number[]>();
  private nextId: number;
  /** Files of segments no longer in use, removed once a save no longer lists them. */
  private obsolete: number[] = [];
  /** Why the last background seal failed (full disk...): full segments wait in memory until a save works. */
  private sealFailure?: Error;
  /**
   * While a save is in progress (between saveSteps() and commit() or its failure): rows that arrive meanwhile
   * go into a plain new active segment (no absorbing, which would retire a segment the save is listing) and
   * full segments wait for the save to seal them (no second seal of the same segment in the background).
   */
  private saving = false;
  /**
   * Pins held (searches waiting on the graph thread, see pin()): meanwhile no new active segment takes in a
   * small sealed one, which would close it and renumber its rows under the search.
   */
  private searching = 0;
  /** Graphs of sealed segments, freed once no pin is held: a pinned search may still ask them (see sealSteps). */
  private unpinnedDrops: (() => void)[] = [];

  private constructor(
    readonly dims: number,
    readonly terms: TermOptions,
    private dir: string | undefined,
    private readonly segmentRows: number,
  ) {
    this.nextId = dir ? firstFreeId(dir) : 1;
  }

  /**
   * An empty store; with `dir`, full segments are sealed into it as they fill (else only at save).
   * `segmentRows` other than SEGMENT_ROWS is for tests of many segments.
   */
  static create(dims: number, terms: TermOptions = DEFAULT_TERM_OPTIONS, dir?: string, segmentRows = SEGMENT_ROWS): ChunkSegments {
    return new ChunkSegments(dims, terms, dir, segmentRows);
  }

  /** Opens the segments a manifest lists (their checksums verified by the caller). */
  static open(dir: string, layout: StoreLayout): ChunkSegments {
    const store = new ChunkSegments(layout.dims, layout.terms, dir, SEGMENT_ROWS);
    try {
      for (const record of layout.segments) {
        const dead = record.dead ? DeadRows.fromBase64(record.dead, record.rows) : new DeadRows(record.rows);
        const segment = SealedSegment.open(record.id, layout.dims, record.rows, segmentFiles(dir, record.id), dead);
        store.sealed.push({ segment, record });
        store.indexRows(segment);
      }
    } catch (e) {
      store.close();
      throw e;
    }
    store.nextId = Math.max(store.nextId, ...layout.segments.map(s => s.id + 1));
    return store;
  }

  get count(): number {
    return this.segments().reduce((n, s) => n + liveRows(s), 0);
  }

  get vectorCount(): number {
    return this.count;
  }

  /**
   * Rows held, removed ones included: the smallest sealed segment with fewer live rows than a quarter of a full
   * one is absorbed (see startActive).
   */
  get slots(): number {
    return this.segments().reduce((n, s) => n + s.rows, 0);
  }

  get segmentCount(): number {
    return this.segments().length;
  }

  /** Adds a chunk: its vector to the graph, its `text` (what was embedded) to the lexical side. */
  add(meta: ChunkMeta, vector: Float32Array, text: string): number {
    if (vector.length !== this.dims)
      throw new Error(`A vector of ${vector.length} dimensions cannot go into a ${this.dims}-dimension index.`);
    const active = this.active ?? this.startActive();
    const label = active.id * ROW_BITS + active.add(meta, vector, text);
    const labels = this.byPath.get(meta.path);
    if (labels) labels.push(label);
    else this.byPath.set(meta.path, [label]);
    if (active.rows >= this.segmentRows && this.dir) this.freeze();
    return label;
  }

  /** Removes every chunk of a file; returns how many left. */
  removeFile(filePath: string): number {
    const labels = this.byPath.get(filePath);
    if (!labels) return 0;
    for (const label of labels) {
      const { segment, row } = this.locate(label)!;
      if (segment instanceof ActiveSegment) segment.remove(row, segment === this.active);
      else segment.dead.mark(row);
    }
    this.byPath.delete(filePath);
    return labels.length;
  }

  paths(): string[] {
    return [...this.byPath.keys()];
  }

  /** Every live chunk's metadata, by path then label. */
  chunks(): ChunkMeta[] {
    return [...this.byPath.values()].flatMap(labels => labels.map(label => this.meta(label)!));
  }

  chunksOf(filePath: string): number {
    return this.byPath.get(filePath)?.length ?? 0;
  }

  meta(label: number): ChunkMeta | undefined {
    const at = this.locate(label);
    return at && !at.segment.dead.has(at.row) ? at.segment.columns.meta(at.row) : undefined;
  }

  /** The stored vectors of a file's chunks by content key (chunkKeyId), so a changed file re-embeds only what changed. */
  vectorsByKey(filePath: string): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const label of this.byPath.get(filePath) ?? []) {
      const { segment, row } = this.locate(label)!;
      const key = segment.columns.meta(row).key;
      if (key && !out.has(key)) out.set(key, decodeRow(segment.code(row), this.dims));
    }
    return out;
  }

  /** The best `k` chunks by vector; the graph thread answers for the segments in memory. */
  async search(vector: Float32Array, k: number, filter?: (meta: ChunkMeta) => boolean): Promise<ScoredChunk[]> {
    const release = this.pin();
    try {
      const hits = await searchSegments(this.segments(), vector, k, s => accepting(s, filter));
      return hits.map(h => ({ label: h.s.id * ROW_BITS + h.row, score: h.score, meta: h.s.columns.meta(h.row) }));
    } finally {
      release();
    }
  }

  /**
   * Keeps every label as it is until the returned function is called: no new active segment takes in (and
   * renumbers) a small sealed one meanwhile. A search pins the store across its awaits, so that labels from
   * before and after them name the same chunks.
   */
  pin(): () => void {
    this.searching++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.searching > 0) return;
      const drops = this.unpinnedDrops;
      this.unpinnedDrops = [];
      for (const drop of drops) drop();
    };
  }

  /** After a run of adds: resolves once the graph thread has taken them all in (remoteGraph.ts); undefined otherwise. */
  backlog(): Promise<void> | undefined {
    return this.active?.backlog();
  }

  /** Every live chunk scored on its codes: the ground truth the graph's recall is measured against. */
  exactSearch(vector: Float32Array, k: number): ScoredChunk[] {
    return this.merge(
      this.segments().map(s => ({ s, hits: exactScan(s, vector, normOf(vector), k) })),
      k,
    );
  }

  /** The best `n` chunks for `query` by BM25 over code terms, optionally only those `filter` keeps. */
  lexicalSearch(query: string, n: number, filter?: (meta: ChunkMeta) => boolean, fields?: LexicalField[]): LexicalChunkHit[] {
    const segments = this.segments();
    const parts = segments.map(s => ({
      part: s.lexical,
      accept: (row: number) => !s.dead.has(row) && (!filter || filter(s.columns.meta(row))),
    }));
    return searchLexical(parts, query, n, this.terms, fields).map(h => {
      const s = segments[h.part];
      return { label: s.id * ROW_BITS + h.row, score: h.score, terms: h.terms, meta: s.columns.meta(h.row) };
    });
  }

  /**
   * Seals every segment still in memory into `dir` and returns the layout a manifest records, in steps
   * (steps.ts); after the manifest is written, commit() removes the files of segments it no longer lists.
   * Throws when the disk refuses; the segments then stay in memory for the next save.
   */
  *saveSteps(dir: string): Steps<StoreLayout> {
    this.saving = true;
    if (this.dir !== dir) {
      this.dir = dir;
      const free = firstFreeId(dir);
      // A store filled before it had a folder numbered its segment from 1: it must not overwrite a saved one's files.
      if (this.active && this.active.id < free) this.renumberActive(free);
      this.nextId = Math.max(this.nextId, free, (this.active?.id ?? 0) + 1);
    }
    if (this.active && this.active.rows > 0) {
      this.frozen.push(this.active);
      this.active = undefined;
    }
    // The background seal first (taken over step by step), then whatever waits, segments frozen meanwhile included.
    try {
      while (this.sealJob || this.frozen.length > 0) {
        if (this.sealJob) {
          const job = this.sealJob;
          try {
            yield* job;
          } finally {
            if (this.sealJob === job) this.sealJob = undefined;
          }
        } else {
          yield* this.sealSteps(this.frozen[0]);
        }
      }
    } catch (e) {
      this.saving = false;
      throw e;
    }
    return {
      dims: this.dims,
      terms: this.terms,
      segments: this.sealed.map(({ segment, record }) => ({
        ...record,
        ...(segment.dead.count ? { dead: segment.dead.toBase64(segment.rows) } : {}),
      })),
    };
  }

  /** saveSteps(), all at once. */
  prepareSave(dir: string): StoreLayout {
    return runNow(this.saveSteps(dir));
  }

  /**
   * After a manifest listing saveSteps()'s layout is in place: old segments' files go (best effort: a file
   * another process still has open may refuse, and is tried again after the next save).
   */
  commit(): void {
    this.saving = false;
    this.sealFailure = undefined;
    if (!this.dir) return;
    const listed = new Set(this.sealed.map(s => s.segment.id));
    // Segments of an index this one replaced (another model, a damaged store) or that a kill left unlisted.
    for (const id of unlistedSegmentIds(this.dir, listed)) if (!this.obsolete.includes(id)) this.obsolete.push(id);
    this.obsolete = this.obsolete.filter(id => {
      if (listed.has(id)) return false;
      try {
        for (const kind of SEGMENT_FILE_KINDS) storeFs.removeSync(segmentFiles(this.dir!, id)[kind]);
        return false;
      } catch {
        return true;
      }
    });
  }

  /** A save that failed: what it did not write waits in memory for the next one. */
  saveFailed(): void {
    this.saving = false;
  }

  /** Closes the sealed segments' files and frees the in-memory ones' graphs; a seal still running in the background is finished first. */
  close(): void {
    if (this.sealJob) this.finishSealJob();
    for (const { segment } of this.sealed) segment.close();
    // Mapping the empty graph over one frees its memory now, not at the graph thread's next gc.
    const empty = this.dir && path.join(this.dir, emptyGraphName(this.dims));
    const emptyFile = empty && fs.existsSync(empty) ? empty : undefined;
    for (const segment of [...this.frozen, ...(this.active ? [this.active] : [])]) segment.dropGraph(emptyFile);
    for (const drop of this.unpinnedDrops.splice(0)) drop();
  }

  private segments(): Segment[] {
    const out: Segment[] = [...this.sealed.map(s => s.segment), ...this.frozen];
    if (this.active) out.push(this.active);
    return out;
  }

  private locate(label: number): { segment: Segment; row: number } | undefined {
    const id = Math.floor(label / ROW_BITS),
      row = label % ROW_BITS;
    const segment =
      this.active?.id === id ? this.active : (this.frozen.find(s => s.id === id) ?? this.sealed.find(s => s.segment.id === id)?.segment);
    return segment && row < segment.rows ? { segment, row } : undefined;
  }

  private merge(parts: { s: Segment; hits: { row: number; score: number }[] }[], k: number): ScoredChunk[] {
    const all = parts.flatMap(({ s, hits }) => hits.map(h => ({ label: s.id * ROW_BITS + h.row, score: h.score, s, row: h.row })));
    return all
      .sort((a, b) => b.score - a.score || a.label - b.label)
      .slice(0, k)
      .map(h => ({ label: h.label, score: h.score, meta: h.s.columns.meta(h.row) }));
  }

  /** A new active segment, starting with the live rows of the smallest sealed segment when it has few. */
  private startActive(): ActiveSegment {
    const id = this.nextId++;
    const small =
      this.saving || this.searching > 0
        ? undefined
        : this.sealed.filter(s => liveRows(s.segment) < this.segmentRows / 4).sort((a, b) => liveRows(a.segment) - liveRows(b.segment))[0];
    if (!small) return (this.active = ActiveSegment.create(id, this.dims, this.terms));
    const { segment, rowMap } = ActiveSegment.absorbing(id, small.segment, this.terms);
    for (let row = 0; row < rowMap.length; row++) {
      if (rowMap[row] < 0) continue;
      const labels = this.byPath.get(small.segment.columns.path(row))!;
      labels[labels.indexOf(small.segment.id * ROW_BITS + row)] = id * ROW_BITS + rowMap[row];
    }
    this.sealed = this.sealed.filter(s => s !== small);
    small.segment.close();
    this.obsolete.push(small.segment.id);
    return (this.active = segment);
  }

  /**
   * A full active segment is frozen (searchable, taking no more rows) and sealed in the background, a step
   * per turn of the event loop; a new active segment takes the next rows. A seal still running when the next
   * segment fills is finished at once. A disk that refuses leaves full segments in memory until a save works.
   */
  private freeze(): void {
    if (this.sealJob) this.finishSealJob();
    this.frozen.push(this.active!);
    this.active = undefined;
    if (this.sealFailure || this.saving) return;
    const job = this.sealSteps(this.frozen[this.frozen.length - 1]);
    this.sealJob = job;
    runInTurns(job)
      .catch((e: Error) => {
        this.sealFailure = e;
      })
      .finally(() => {
        if (this.sealJob === job) this.sealJob = undefined;
      });
  }

  private finishSealJob(): void {
    try {
      runNow(this.sealJob!);
    } catch (e) {
      this.sealFailure = e as Error;
    }
    this.sealJob = undefined;
  }

  /** Writes, hashes and renames a frozen segment's files, then searches it from them. */
  private *sealSteps(segment: ActiveSegment): Steps<void> {
    const dir = this.dir!;
    fs.mkdirSync(dir, { recursive: true });
    const files = segmentFiles(dir, segment.id);
    const checksums: Record<string, string> = {};
    try {
      yield* segment.writeSteps(dir);
      for (const kind of SEGMENT_FILE_KINDS) checksums[kind] = yield* sha256InSteps(tempNameOf(files[kind]));
      for (const kind of SEGMENT_FILE_KINDS) storeFs.renameSync(tempNameOf(files[kind]), files[kind]);
      const empty = emptyGraphFile(dir, this.dims);
      yield* segment.checkGraphSteps(files.graph, empty);
      const sealed = SealedSegment.open(segment.id, this.dims, segment.rows, files, segment.dead);
      this.sealed.push({ segment: sealed, record: { id: segment.id, rows: segment.rows, checksums } });
      this.frozen = this.frozen.filter(f => f !== segment);
      // After the swap, and once no search is pinned: one that took the frozen segment may ask its graph again.
      if (this.searching > 0) this.unpinnedDrops.push(() => segment.dropGraph(empty));
      else segment.dropGraph(empty);
    } catch (e) {
      // No manifest lists these files yet: they go, and the segment stays in memory for the next try.
      for (const kind of SEGMENT_FILE_KINDS) for (const f of [tempNameOf(files[kind]), files[kind]]) fs.rmSync(f, { force: true });
      throw e;
    }
  }

  private renumberActive(id: number): void {
    const active = this.active!;
    const from = active.id * ROW_BITS,
      to = id * ROW_BITS;
    for (const labels of this.byPath.values()) {
      for (let i = 0; i < labels.length; i++) if (labels[i] >= from && labels[i] < from + ROW_BITS) labels[i] = labels[i] - from + to;
    }
    active.id = id;
  }

  private indexRows(segment: SealedSegment): void {
    for (let row = 0; row < segment.rows; row++) {
      if (segment.dead.has(row)) continue;
      const p = segment.columns.path(row);
      const label = segment.id * ROW_BITS + row;
      const labels = this.byPath.get(p);
      if (labels) labels.push(label);
      else this.byPath.set(p, [label]);
    }
  }
}

function accepting(s: Segment, filter?: (meta: ChunkMeta) => boolean): ((row: number) => boolean) | undefined {
  return filter ? row => filter(s.columns.meta(row)) : undefined;
}

/**
 * A graph of nothing, written once per store folder and dimension count: mapped over a graph, it frees that
 * graph's memory (or a checked file's mapping) at once (graphThread.ts).
 */
function emptyGraphFile(dir: string, dims: number): string {
  const file = path.join(dir, emptyGraphName(dims));
  if (!fs.existsSync(file)) {
    const tmp = tempNameOf(file);
    // usearch writes through its own stream: creating the file first turns a refused write into an error here.
    storeFs.writeFileSync(tmp, '');
    newGraph(dims).save(tmp);
    storeFs.renameSync(tmp, file);
  }
  return file;
}

function emptyGraphName(dims: number): string {
  return `empty-${dims}.graph`;
}

/** Ids of the whole segment files in `dir` (temp files aside) that `listed` does not hold. */
function unlistedSegmentIds(dir: string, listed: Set<number>): number[] {
  const ids = new Set<number>();
  try {
    for (const name of fs.readdirSync(dir)) {
      const id = /^seg-\d+\.(usearch|codes|meta|lex)$/.test(name) ? segmentIdOf(name) : undefined;
      if (id !== undefined && !listed.has(id)) ids.add(id);
    }
  } catch {
    /* the folder is gone: nothing to sweep */
  }
  return [...ids];
}

/** One past the highest segment id with a file in `dir`: a new segment never overwrites one a saved manifest may list. */
function firstFreeId(dir: string): number {
  let max = 0;
  try {
    for (const name of fs.readdirSync(dir)) max = Math.max(max, segmentIdOf(name) ?? 0);
  } catch {
    /* no folder yet */
  }
  return max + 1;
}
