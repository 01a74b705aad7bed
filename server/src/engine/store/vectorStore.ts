// Vectors in an HNSW graph (hnswlib-node, cosine space) with each chunk's metadata and its lexical terms
// (LexicalIndex) beside it, all keyed by one label: a chunk enters and leaves both sides in the same call and
// both are saved together, so the two sides can never disagree. Deleted chunks are marked and their slots
// reused by later additions, so edits do not grow the index.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { HierarchicalNSW } from 'hnswlib-node';
import { LexicalField, LexicalHit, LexicalIndex } from '../lexical/lexicalIndex';
import type { TermOptions } from '../lexical/codeTerms';
import { errnoError, storeFs } from './storeFs';

export interface ChunkMeta {
  path: string;
  startLine: number;
  endLine: number;
  symbol: string;
  kind: string;
  snippet: string;
  /** The chunk's content key (chunkKey): lets a changed file keep the vectors of its unchanged chunks. */
  key?: string;
}

export interface ScoredChunk {
  label: number;
  meta: ChunkMeta;
  score: number;   // cosine similarity
}

/**
 * hnswlib's default ef of 10 gave recall@10 of 0.42 at 100k vectors. On hard (near-uniform, clustered)
 * 384-d data, M=16/ef=128 reached 0.90 and M=32/ef=256 0.976 at 0.55 ms a query; embedding the query
 * costs far more, so recall wins.
 */
export const DEFAULT_SEARCH_EF = 256;
const M = 32;
/**
 * With an in-process model, inserting into the graph became the largest part of a cold run. A construction
 * beam of 128 (was 200) makes an insert about 1.5x cheaper; 100 was cheaper still but let recall@10 on 5,000
 * random 384-d vectors fall to 0.938 (vectorStore.test.ts holds it at 0.95); real vectors of the bench corpus
 * keep 0.99 at search ef 256.
 */
const EF_CONSTRUCTION = 128;
const INITIAL_CAPACITY = 1024;
/** The lexical index's file in the store folder. */
export const LEXICAL_FILE = 'lexical.json';

export class VectorStore {
  private readonly metas = new Map<number, ChunkMeta>();
  private readonly byPath = new Map<string, Set<number>>();
  /** Live chunks per content key: a chunk whose text is already stored goes in slightly moved (see apart()). */
  private readonly liveByKey = new Map<string, number>();
  private nextLabel = 0;
  private deleted = 0;

  private constructor(readonly dims: number, private readonly index: HierarchicalNSW, private searchEf: number, readonly lexical: LexicalIndex) {}

  static create(dims: number, searchEf = DEFAULT_SEARCH_EF, terms?: TermOptions): VectorStore {
    const index = new HierarchicalNSW('cosine', dims);
    index.initIndex(INITIAL_CAPACITY, M, EF_CONSTRUCTION, 42, true);
    return new VectorStore(dims, index, searchEf, LexicalIndex.create(terms));
  }

  get count(): number {
    return this.metas.size;
  }

  get capacity(): number {
    return this.index.getMaxElements();
  }

  /** Adds a chunk: its vector to the graph, its `text` (what was embedded) to the lexical index. */
  add(meta: ChunkMeta, vector: Float32Array, text: string): number {
    if (vector.length !== this.dims) throw new Error(`A vector of ${vector.length} dimensions cannot go into a ${this.dims}-dimension index.`);
    const label = this.nextLabel++;
    const point = meta.key !== undefined && this.liveByKey.has(meta.key) ? apart(vector, label) : Array.from(vector);
    if (this.deleted > 0) {
      this.index.addPoint(point, label, true);
      this.deleted--;
    } else {
      if (this.index.getCurrentCount() >= this.index.getMaxElements()) this.index.resizeIndex(this.index.getMaxElements() * 2);
      this.index.addPoint(point, label);
    }
    this.metas.set(label, meta);
    this.lexical.add(label, { path: meta.path, symbol: meta.symbol, kind: meta.kind, text });
    this.countKey(meta.key, 1);
    let set = this.byPath.get(meta.path);
    if (!set) this.byPath.set(meta.path, (set = new Set()));
    set.add(label);
    return label;
  }

  /** Removes every chunk of a file; returns how many left. */
  removeFile(filePath: string): number {
    const labels = this.byPath.get(filePath);
    if (!labels) return 0;
    for (const label of labels) {
      this.index.markDelete(label);
      this.lexical.discard(label);
      this.countKey(this.metas.get(label)?.key, -1);
      this.metas.delete(label);
      this.deleted++;
    }
    this.byPath.delete(filePath);
    return labels.size;
  }

  /** Vectors live in the graph (slots of removed chunks not counted): equals count unless something is wrong. */
  get vectorCount(): number {
    return this.index.getCurrentCount() - this.deleted;
  }

  /** Slots in the graph, removed chunks' included: bounded by the live count plus the removed-but-unreused. */
  get slots(): number {
    return this.index.getCurrentCount();
  }

  /** The stored vectors of a file's chunks by content key, read back from the graph so they need no embedding. */
  vectorsByKey(filePath: string): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const label of this.byPath.get(filePath) ?? []) {
      const key = this.metas.get(label)?.key;
      if (key && !out.has(key)) out.set(key, Float32Array.from(this.index.getPoint(label)));
    }
    return out;
  }

  /** Every file path that has chunks here. */
  paths(): string[] {
    return [...this.byPath.keys()];
  }

  chunksOf(filePath: string): number {
    return this.byPath.get(filePath)?.size ?? 0;
  }

  search(vector: Float32Array, k: number, filter?: (meta: ChunkMeta) => boolean): ScoredChunk[] {
    const n = Math.min(k, this.count);
    if (n <= 0) return [];
    this.index.setEf(Math.max(this.searchEf, n));
    const res = this.index.searchKnn(Array.from(vector), n, this.accepting(filter));
    return res.neighbors.map((label, i) => ({ label, meta: this.metas.get(label)!, score: 1 - res.distances[i] }));
  }

  /** The best `n` chunks for `query` by BM25 over code terms, optionally only those `filter` keeps. */
  lexicalSearch(query: string, n: number, filter?: (meta: ChunkMeta) => boolean, fields?: LexicalField[]): (LexicalHit & { meta: ChunkMeta })[] {
    return this.lexical.search(query, n, this.accepting(filter), fields).flatMap(h => {
      const meta = this.metas.get(h.label);
      return meta ? [{ ...h, meta }] : [];
    });
  }

  /** A label filter over chunk metadata, for either side's search; live chunks only. */
  private accepting(filter?: (meta: ChunkMeta) => boolean): ((label: number) => boolean) | undefined {
    if (!filter) return undefined;
    return label => {
      const m = this.metas.get(label);
      return m !== undefined && filter(m);
    };
  }

  /** The chunk stored under `label`, if it is live. */
  meta(label: number): ChunkMeta | undefined {
    return this.metas.get(label);
  }

  /** Brute-force cosine scan: the ground truth HNSW recall is measured against. */
  exactSearch(vector: Float32Array, k: number): ScoredChunk[] {
    const scored: ScoredChunk[] = [];
    for (const [label, meta] of this.metas) {
      const p = this.index.getPoint(label);
      let dot = 0, norm = 0;
      for (let d = 0; d < this.dims; d++) { dot += p[d] * vector[d]; norm += p[d] * p[d]; }
      scored.push({ label, meta, score: dot / (Math.sqrt(norm) || 1) });
    }
    return scored.sort((a, b) => b.score - a.score).slice(0, k);
  }

  private countKey(key: string | undefined, delta: number): void {
    if (key === undefined) return;
    const n = (this.liveByKey.get(key) ?? 0) + delta;
    if (n > 0) this.liveByKey.set(key, n); else this.liveByKey.delete(key);
  }

  /** Writes the index and metadata into dir; each file lands whole (temp file, then rename). */
  save(dir: string): void {
    for (const [tmp, final] of this.saveTemp(dir)) storeFs.renameSync(tmp, final);
  }

  /** Writes the index and metadata to temp files in dir and returns [temp, final] pairs, for the caller to rename. */
  saveTemp(dir: string): [string, string][] {
    fs.mkdirSync(dir, { recursive: true });
    const index = tempNameOf(path.join(dir, 'index.hnsw'));
    // hnswlib writes through a C++ stream and ignores its errors: creating the file from here first turns a
    // read-only or forbidden folder into a real error, and the length check below catches a full disk.
    storeFs.writeFileSync(index, '');
    storeFs.writeIndexSync(this.index, index);
    if (!hnswFileWhole(index, this.index.getCurrentCount())) {
      // A graph file shorter than the graph is what a disk that filled up under the native writer leaves.
      throw errnoError('ENOSPC', 'write', index);
    }
    const chunks = writeJsonTemp(path.join(dir, 'chunks.json'), {
      dims: this.dims, nextLabel: this.nextLabel, deleted: this.deleted, searchEf: this.searchEf,
      chunks: [...this.metas],
    });
    const lexical = tempNameOf(path.join(dir, LEXICAL_FILE));
    storeFs.writeFileSync(lexical, this.lexical.toJSON());
    return [[index, path.join(dir, 'index.hnsw')], [chunks, path.join(dir, 'chunks.json')], [lexical, path.join(dir, LEXICAL_FILE)]];
  }

  static load(dir: string): VectorStore {
    const data = JSON.parse(fs.readFileSync(path.join(dir, 'chunks.json'), 'utf8')) as {
      dims: number; nextLabel: number; deleted: number; searchEf: number; chunks: [number, ChunkMeta][];
    };
    const index = new HierarchicalNSW('cosine', data.dims);
    index.readIndexSync(path.join(dir, 'index.hnsw'), true);
    const lexical = LexicalIndex.fromJSON(fs.readFileSync(path.join(dir, LEXICAL_FILE), 'utf8'));
    const store = new VectorStore(data.dims, index, data.searchEf, lexical);
    store.nextLabel = data.nextLabel;
    store.deleted = data.deleted;
    for (const [label, meta] of data.chunks) {
      store.metas.set(label, meta);
      store.countKey(meta.key, 1);
      let set = store.byPath.get(meta.path);
      if (!set) store.byPath.set(meta.path, (set = new Set()));
      set.add(label);
    }
    return store;
  }
}

/**
 * A twin of `vector` moved by about 0.2% of its length, the same way for the same label. Identical vectors
 * tie at distance 0, and hnswlib then explores every twin on each insert: 40,000 chunks of 100 distinct
 * texts took 10 ms an insert and rising (100k tiny files never finished), against 1 ms once moved apart.
 * Cosine similarity to the original stays above 0.99999, so ranking is unchanged.
 */
function apart(vector: Float32Array, label: number): number[] {
  let norm = 0;
  for (const v of vector) norm += v * v;
  const step = (2e-3 * Math.sqrt(norm)) / Math.sqrt(vector.length);
  let seed = (label * 2654435761 + 1) >>> 0;
  return Array.from(vector, v => {
    seed = (seed * 1664525 + 1013904223) >>> 0;   // an LCG: cheap, and the same label moves the same way
    return v + step * (seed / 0x80000000 - 1);
  });
}

export function writeJsonAtomic(file: string, value: unknown): void {
  storeFs.renameSync(writeJsonTemp(file, value), file);
}

/** Writes value beside file under a temp name and returns that name. */
export function writeJsonTemp(file: string, value: unknown): string {
  const tmp = tempNameOf(file);
  storeFs.writeFileSync(tmp, JSON.stringify(value));
  return tmp;
}

/** The temp name a store file is written under before its rename (one per process, so writers never share). */
export function tempNameOf(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/**
 * True when an hnswlib index file holds all `count` elements, end to end: its 96-byte header, `count` level-0
 * records, then per element a uint32 size and that many link bytes, with nothing after. The same walk
 * hnswlib's loadIndex makes, done here on the bytes so a short file never reaches native code. Only the
 * header and the link lists (a few bytes per element) are read, not the vectors.
 */
export function hnswFileWhole(file: string, count: number): boolean {
  const HEADER = 96;
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size < HEADER) return false;
    const header = Buffer.alloc(HEADER);
    fs.readSync(fd, header, 0, HEADER, 0);
    // Little-endian size_t fields: cur_element_count at 16, size_data_per_element at 24.
    const stored = Number(header.readBigUInt64LE(16));
    const perElement = Number(header.readBigUInt64LE(24));
    const linksAt = HEADER + stored * perElement;
    if (stored !== count || linksAt > size) return false;
    const links = Buffer.alloc(size - linksAt);
    fs.readSync(fd, links, 0, links.length, linksAt);
    let at = 0;
    for (let i = 0; i < stored; i++) {
      if (at + 4 > links.length) return false;
      at += 4 + links.readUInt32LE(at);
    }
    return at === links.length;
  } finally {
    fs.closeSync(fd);
  }
}
