// The one path every file takes into the index, whether a whole folder is being indexed or a single saved
// file is being followed: read and check -> chunk -> cache or embed -> store. A file's old chunks leave the
// store before its new ones arrive, so an index can be rebuilt in place while it is being searched.

import { createHash } from 'node:crypto';
import type { EngineSettings } from '../../../../common/settings';
import { chunkKey, EmbeddingCache } from '../cache/embeddingCache';
import { Chunker, chunkOptionsFromSettings } from '../chunker/chunker';
import type { LineTokenizer } from '../model/tokenizer';
import { readSourceFile, ReadResult } from '../scanner/contentCheck';
import { DEFAULT_MAX_LINE_CHARS } from '../scanner/lineStats';
import { readOptions } from '../scanner/scanOptions';
import { chunkKeyId, type ChunkMeta, type ChunkSegments } from '../store/chunkSegments';
import type { CandidateFile, Chunk, FileReport } from '../types';
import { EmbedQueue, EmbedSink, QueuedChunk } from './embedQueue';
import type { FileLedger, FileStat } from './fileLedger';
import type { PauseGate } from './pauseGate';

type SourceText = Extract<ReadResult, { ok: true }>;

export const MAX_LINE_CHARS = DEFAULT_MAX_LINE_CHARS;

export interface IndexDeps {
  modelId: string;
  /** Read again for every batch, so a changed batch size applies to the next batch. */
  settings: () => EngineSettings;
  tokenizer: LineTokenizer;
  chunker: Chunker;
  embedder: EmbedSink;
  maxBatchesInFlight: number;
  /** Items per batch the backend asks for (a remote endpoint's request size); else the batchSize setting. */
  batchSize?: number;
  cache: EmbeddingCache;
  segments: ChunkSegments;
  /** When given, indexing waits here between files and between batches while paused. */
  gate?: PauseGate;
}

export interface EmbedTotals {
  embedded: number;
  cacheHits: number;
  /** Chunks whose vector was read back from the store (unchanged text in a changed file). */
  reused: number;
  tokens: number;
}

/** What a run did to the files the saved index held, by file: the summary says what changed. */
export interface FileChanges {
  /** Files that had no chunks in the index and now have some. */
  added: number;
  /** Files whose chunks were cut again because their content (or the chunking) changed. */
  changed: number;
  /** Files whose chunks left the index: gone, now skipped or unreadable. */
  removed: number;
  /** Files kept as they were: the same size and mtime, or the same content hash. */
  unchanged: number;
}

export class FileIndexer {
  private readonly queue: EmbedQueue;
  private cacheHits = 0;
  private reused = 0;
  /** The files add() was given, by what it did to them (indexFolder adds those the walk no longer found). */
  readonly changes: FileChanges = { added: 0, changed: 0, removed: 0, unchanged: 0 };
  /** Reads started by readAhead(), taken by add(). */
  private readonly ahead = new Map<string, Promise<ReadResult>>();

  constructor(
    private readonly deps: IndexDeps,
    readonly ledger: FileLedger,
    private readonly signal?: AbortSignal,
  ) {
    const gate = deps.gate;
    const sink: EmbedSink = gate ? { embed: items => gate.run(() => deps.embedder.embed(items), signal) } : deps.embedder;
    this.queue = new EmbedQueue(
      sink,
      () => deps.batchSize ?? deps.settings().batchSize,
      deps.maxBatchesInFlight,
      (item, vector) => {
        deps.cache.set(item.key, vector);
        this.store(item, vector);
      },
      (item, reason) => ledger.fail(item.chunk.path, 'embedding-failed', reason),
    );
  }

  /**
   * Brings this file's chunks in the store up to date with its content. What the store already holds is
   * reused: an unchanged size and mtime skip the read, an unchanged content hash skips the chunking, and a
   * chunk whose text is unchanged keeps its stored vector, so only changed chunks are embedded.
   */
  async add(file: CandidateFile): Promise<void> {
    // Taken first, so a file that turns out not to need its read leaves nothing held.
    const ahead = this.ahead.get(file.path);
    this.ahead.delete(file.path);
    await this.deps.gate?.wait(this.signal);
    // The graph thread inserts what the store is given; a run that outpaces it waits here, not in memory.
    const backlog = this.deps.segments.backlog();
    if (backlog) await backlog;
    const prev = this.indexedWhole(file.path);
    if (prev && prev.size === file.size && prev.mtimeMs === file.mtimeMs) {
      this.changes.unchanged++;
      return;
    }
    const settings = this.deps.settings();
    const read = await (ahead ?? this.read(file));
    // Whether the saved index held the file: a changed file then, a new one otherwise.
    const had = this.deps.segments.chunksOf(file.path) > 0;
    if (!read.ok) {
      if (had) this.changes.removed++;
      this.deps.segments.removeFile(file.path);
      this.ledger.remove(file.path);
      this.ledger.set(file.path, read.status, read.reason, read.detail);
      return;
    }
    const stat = { size: file.size, mtimeMs: file.mtimeMs, hash: contentHash(read.text) };
    if (prev && prev.hash === stat.hash) {
      this.ledger.restat(file.path, stat);
      this.changes.unchanged++;
      return;
    }
    const kept = this.deps.segments.vectorsByKey(file.path);
    this.deps.segments.removeFile(file.path);
    const chunks = await this.chunksOf(file, read, stat, settings);
    this.countChange(had, chunks.length > 0);
    for (const chunk of chunks) {
      const key = chunkKey(this.deps.modelId, settings.maxChunkTokens, chunk.text);
      const keptVector = kept.get(chunkKeyId(key));
      const vector = keptVector ?? this.deps.cache.get(key);
      if (keptVector) this.reused++;
      else if (vector) this.cacheHits++;
      if (vector) this.store({ chunk, key }, vector);
      else await this.queue.add({ chunk, key });
    }
  }

  /**
   * Starts reading a file add() will be given soon, so its read overlaps the work on the files before it: with
   * an in-process model the engine otherwise idles for every file's open and read (a fifth of a cold run).
   * Files whose size and mtime say they are unchanged are not read, as in add().
   */
  readAhead(file: CandidateFile): void {
    if (this.ahead.has(file.path)) return;
    const prev = this.indexedWhole(file.path);
    if (prev && prev.size === file.size && prev.mtimeMs === file.mtimeMs) return;
    this.ahead.set(file.path, this.read(file));
  }

  private read(file: CandidateFile): Promise<ReadResult> {
    return readSourceFile(file, readOptions(this.deps.settings(), MAX_LINE_CHARS));
  }

  /** Why embedding stopped for this run (the embedder became unavailable), if it did: the caller stops too. */
  get stoppedBy(): Error | undefined {
    return this.queue.stoppedBy;
  }

  /** Chunks embedded so far in this run (batches still in flight not counted). */
  get embeddedSoFar(): number {
    return this.queue.embedded;
  }

  /** Chunks this run has put in the store so far: embedded, from the cache, or kept from the saved index. */
  get storedSoFar(): number {
    return this.queue.embedded + this.cacheHits + this.queue.deduplicated + this.reused;
  }

  /** A path that is no longer indexable (deleted, or now skipped): its chunks leave, its report is replaced. */
  drop(path: string, report?: FileReport): void {
    this.deps.segments.removeFile(path);
    this.ledger.remove(path);
    if (report) this.ledger.skip(report);
  }

  /** Sends the last partial batch and waits for every batch; a failed file keeps nothing in the index. */
  async finish(): Promise<EmbedTotals> {
    await this.queue.flush(true);
    for (const p of this.ledger.failedPaths()) this.deps.segments.removeFile(p);
    return {
      embedded: this.queue.embedded,
      cacheHits: this.cacheHits + this.queue.deduplicated,
      reused: this.reused,
      tokens: this.queue.tokens,
    };
  }

  private countChange(had: boolean, has: boolean): void {
    if (has) this.changes[had ? 'changed' : 'added']++;
    else if (had) this.changes.removed++;
  }

  /** The report of a file indexed whole last time, all of whose chunks are still in the store; else undefined. */
  private indexedWhole(path: string): FileReport | undefined {
    const r = this.ledger.get(path);
    return r?.status === 'indexed' && r.size !== undefined && this.deps.segments.chunksOf(path) === r.chunks ? r : undefined;
  }

  private store(item: QueuedChunk, vector: Float32Array): void {
    if (this.ledger.get(item.chunk.path)?.status === 'failed') return;
    this.deps.segments.add({ ...metaOf(item.chunk), key: item.key }, vector, item.chunk.text);
    this.ledger.chunkDone(item.chunk.path);
  }

  private async chunksOf(file: CandidateFile, read: SourceText, stat: FileStat, settings: EngineSettings): Promise<Chunk[]> {
    const { ledger } = this;
    try {
      const res = await this.deps.chunker.chunkFile(file.path, read.text, this.deps.tokenizer, {
        ...chunkOptionsFromSettings(settings),
        maxLineChars: MAX_LINE_CHARS,
      });
      const notes: string[] = read.note ? [read.note.replace(/\.$/, '')] : [];
      if (res.capped) notes.push(`only the first ${res.chunks.length} of ${res.totalChunks} chunks were kept (maxChunksPerFile)`);
      if (res.omittedLongLines > 0) notes.push(`${res.omittedLongLines} line(s) over ${MAX_LINE_CHARS} characters left out`);
      const detail = notes.length ? capitalize(notes.join('; ')) + '.' : undefined;
      ledger.begin(file.path, res.chunks.length, noteCode(res.capped, res.omittedLongLines > 0, !!read.note), detail, stat);
      return res.chunks;
    } catch (e) {
      ledger.remove(file.path);
      ledger.set(file.path, 'failed', 'chunking-failed', `Could not cut the file into chunks: ${(e as Error).message}`);
      return [];
    }
  }
}

function metaOf(c: Chunk): ChunkMeta {
  return { path: c.path, startLine: c.startLine, endLine: c.endLine, symbol: c.symbol, kind: c.kind };
}

/** 128 bits of sha256 (base64url): enough to tell an edited file from a touched one, and short in files.json. */
function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The one note code a file's report carries, the weightiest first: its chunks capped, long lines left out, read as Latin-1. */
function noteCode(capped: boolean, longLinesOmitted: boolean, decodedAsLatin1: boolean): string {
  if (capped) return 'chunk-cap';
  if (longLinesOmitted) return 'long-lines-omitted';
  if (decodedAsLatin1) return 'decoded-as-latin1';
  return '';
}
