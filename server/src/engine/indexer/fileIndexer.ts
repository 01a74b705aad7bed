// The one path every file takes into the index, whether a whole folder is being indexed or a single saved
// file is being followed: read and check -> chunk -> cache or embed -> store. A file's old chunks leave the
// store before its new ones arrive, so an index can be rebuilt in place while it is being searched.

import type { EngineSettings } from '../../../../common/settings';
import { chunkKey, EmbeddingCache } from '../cache/embeddingCache';
import { Chunker, chunkOptionsFromSettings } from '../chunker/chunker';
import type { LineTokenizer } from '../model/tokenizer';
import { readSourceFile } from '../scanner/contentCheck';
import { DEFAULT_MAX_LINE_CHARS } from '../scanner/lineStats';
import type { ChunkMeta, VectorStore } from '../store/vectorStore';
import type { CandidateFile, Chunk, FileReport } from '../types';
import { EmbedQueue, EmbedSink, QueuedChunk } from './embedQueue';
import type { FileLedger } from './fileLedger';
import type { PauseGate } from './pauseGate';

export const MAX_LINE_CHARS = DEFAULT_MAX_LINE_CHARS;
const SNIPPET_LINES = 6;
const SNIPPET_CHARS = 400;

export interface IndexDeps {
  modelId: string;
  /** Read again for every batch, so a changed batch size applies to the next batch. */
  settings: () => EngineSettings;
  tokenizer: LineTokenizer;
  chunker: Chunker;
  embedder: EmbedSink;
  maxBatchesInFlight: number;
  cache: EmbeddingCache;
  store: VectorStore;
  /** When given, indexing waits here between files and between batches while paused. */
  gate?: PauseGate;
}

export interface EmbedTotals {
  embedded: number;
  cacheHits: number;
  tokens: number;
}

export function snippetOf(text: string): string {
  return text.split('\n').slice(0, SNIPPET_LINES).join('\n').slice(0, SNIPPET_CHARS);
}

export class FileIndexer {
  private readonly queue: EmbedQueue;
  private cacheHits = 0;

  constructor(private readonly deps: IndexDeps, readonly ledger: FileLedger, private readonly signal?: AbortSignal) {
    const gate = deps.gate;
    const sink: EmbedSink = gate ? { embed: seqs => gate.run(() => deps.embedder.embed(seqs), signal) } : deps.embedder;
    this.queue = new EmbedQueue(sink, () => deps.settings().batchSize, deps.maxBatchesInFlight,
      (item, vector) => { deps.cache.set(item.key, vector); this.store(item, vector); },
      (item, reason) => ledger.fail(item.chunk.path, 'embedding-failed', reason));
  }

  /** Replaces whatever the store holds for this file with its current content's chunks. */
  async add(file: CandidateFile): Promise<void> {
    await this.deps.gate?.wait(this.signal);
    this.deps.store.removeFile(file.path);
    const settings = this.deps.settings();
    for (const chunk of await this.chunksOf(file, settings)) {
      const key = chunkKey(this.deps.modelId, settings.maxChunkTokens, chunk.text);
      const cached = this.deps.cache.get(key);
      if (cached) { this.cacheHits++; this.store({ chunk, key }, cached); } else await this.queue.add({ chunk, key });
    }
  }

  /** A path that is no longer indexable (deleted, or now skipped): its chunks leave, its report is replaced. */
  drop(path: string, report?: FileReport): void {
    this.deps.store.removeFile(path);
    this.ledger.remove(path);
    if (report) this.ledger.skip(report);
  }

  /** Sends the last partial batch and waits for every batch; a failed file keeps nothing in the index. */
  async finish(): Promise<EmbedTotals> {
    await this.queue.flush(true);
    for (const p of this.ledger.failedPaths()) this.deps.store.removeFile(p);
    return { embedded: this.queue.embedded, cacheHits: this.cacheHits + this.queue.deduplicated, tokens: this.queue.tokens };
  }

  private store(item: QueuedChunk, vector: Float32Array): void {
    if (this.ledger.get(item.chunk.path)?.status === 'failed') return;
    this.deps.store.add(metaOf(item.chunk), vector);
    this.ledger.chunkDone(item.chunk.path);
  }

  private async chunksOf(file: CandidateFile, settings: EngineSettings): Promise<Chunk[]> {
    const { ledger } = this;
    const read = await readSourceFile(file, { maxFileBytes: settings.maxFileBytes, maxLineChars: MAX_LINE_CHARS });
    if (!read.ok) {
      ledger.remove(file.path);
      ledger.set(file.path, read.status, read.reason, read.detail);
      return [];
    }
    try {
      const res = await this.deps.chunker.chunkFile(file.path, read.text, this.deps.tokenizer, { ...chunkOptionsFromSettings(settings), maxLineChars: MAX_LINE_CHARS });
      const notes: string[] = read.note ? [read.note.replace(/\.$/, '')] : [];
      if (res.capped) notes.push(`only the first ${res.chunks.length} of ${res.totalChunks} chunks were kept (maxChunksPerFile)`);
      if (res.omittedLongLines > 0) notes.push(`${res.omittedLongLines} line(s) over ${MAX_LINE_CHARS} characters left out`);
      const note = res.capped ? 'chunk-cap' : res.omittedLongLines > 0 ? 'long-lines-omitted' : read.note ? 'decoded-as-latin1' : '';
      ledger.begin(file.path, res.chunks.length, note, notes.length ? capitalize(notes.join('; ')) + '.' : undefined);
      return res.chunks;
    } catch (e) {
      ledger.remove(file.path);
      ledger.set(file.path, 'failed', 'chunking-failed', `Could not cut the file into chunks: ${(e as Error).message}`);
      return [];
    }
  }
}

function metaOf(c: Chunk): ChunkMeta {
  return { path: c.path, startLine: c.startLine, endLine: c.endLine, symbol: c.symbol, kind: c.kind, snippet: snippetOf(c.text) };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
