// One index run over a folder: walk -> read and check -> chunk -> cache or embed -> store.
// The walk runs first so progress has a total; files are then read one at a time, and the embed queue's
// backpressure keeps at most a few batches of chunks in memory.

import type { EngineSettings } from '../../../../common/settings';
import { chunkKey, EmbeddingCache } from '../cache/embeddingCache';
import { Chunker, chunkOptionsFromSettings } from '../chunker/chunker';
import type { LineTokenizer } from '../model/tokenizer';
import { readSourceFile } from '../scanner/contentCheck';
import { DEFAULT_MAX_LINE_CHARS } from '../scanner/lineStats';
import { walk } from '../scanner/walker';
import type { ChunkMeta, VectorStore } from '../store/vectorStore';
import type { CandidateFile, Chunk } from '../types';
import { EmbedQueue, EmbedSink, QueuedChunk } from './embedQueue';
import { FileLedger } from './fileLedger';

export const MAX_LINE_CHARS = DEFAULT_MAX_LINE_CHARS;
const SNIPPET_LINES = 6;
const SNIPPET_CHARS = 400;

export type IndexPhase = 'scanning' | 'indexing' | 'done';

export interface IndexProgress {
  phase: IndexPhase;
  filesDone: number;
  filesTotal: number;
  chunksStored: number;
  currentFile?: string;
}

export interface IndexDeps {
  modelId: string;
  settings: () => EngineSettings;
  tokenizer: LineTokenizer;
  chunker: Chunker;
  embedder: EmbedSink;
  maxBatchesInFlight: number;
  cache: EmbeddingCache;
  store: VectorStore;
}

export interface IndexOutcome {
  ledger: FileLedger;
  embedded: number;
  cacheHits: number;
  tokens: number;
  cancelled: boolean;
}

export function snippetOf(text: string): string {
  return text.split('\n').slice(0, SNIPPET_LINES).join('\n').slice(0, SNIPPET_CHARS);
}

export async function indexFolder(root: string, deps: IndexDeps, onProgress: (p: IndexProgress) => void, signal?: AbortSignal): Promise<IndexOutcome> {
  const ledger = new FileLedger();
  const settings = deps.settings();
  onProgress({ phase: 'scanning', filesDone: 0, filesTotal: 0, chunksStored: deps.store.count });
  const candidates: CandidateFile[] = [];
  for await (const ev of walk(root, { excludeGlobs: settings.excludeGlobs, maxFileBytes: settings.maxFileBytes })) {
    if (ev.kind === 'file') candidates.push(ev.file);
    else ledger.skip(ev.report);
    if (signal?.aborted) break;
  }

  let cacheHits = 0;
  const store = (item: QueuedChunk, vector: Float32Array): void => {
    const entry = ledger.get(item.chunk.path);
    if (entry?.status === 'failed') return;
    deps.store.add(metaOf(item.chunk), vector);
    ledger.chunkDone(item.chunk.path);
  };
  const queue = new EmbedQueue(deps.embedder, () => deps.settings().batchSize, deps.maxBatchesInFlight,
    (item, vector) => { deps.cache.set(item.key, vector); store(item, vector); },
    (item, reason) => ledger.fail(item.chunk.path, 'embedding-failed', reason));

  let done = 0;
  for (const file of candidates) {
    if (signal?.aborted) break;
    onProgress({ phase: 'indexing', filesDone: done, filesTotal: candidates.length, chunksStored: deps.store.count, currentFile: file.path });
    const chunks = await chunksOf(file, deps, ledger);
    for (const chunk of chunks) {
      const key = chunkKey(deps.modelId, settings.maxChunkTokens, chunk.text);
      const cached = deps.cache.get(key);
      if (cached) { cacheHits++; store({ chunk, key }, cached); } else await queue.add({ chunk, key });
    }
    done++;
  }
  await queue.flush(true);
  // A failed file keeps nothing in the index: a later run retries it whole.
  for (const p of ledger.failedPaths()) deps.store.removeFile(p);
  onProgress({ phase: 'done', filesDone: done, filesTotal: candidates.length, chunksStored: deps.store.count });
  return { ledger, embedded: queue.embedded, cacheHits: cacheHits + queue.deduplicated, tokens: queue.tokens, cancelled: signal?.aborted ?? false };
}

async function chunksOf(file: CandidateFile, deps: IndexDeps, ledger: FileLedger): Promise<Chunk[]> {
  const settings = deps.settings();
  const read = await readSourceFile(file, { maxFileBytes: settings.maxFileBytes, maxLineChars: MAX_LINE_CHARS });
  if (!read.ok) {
    ledger.set(file.path, read.status, read.reason, read.detail);
    return [];
  }
  try {
    const res = await deps.chunker.chunkFile(file.path, read.text, deps.tokenizer, { ...chunkOptionsFromSettings(settings), maxLineChars: MAX_LINE_CHARS });
    const notes: string[] = read.note ? [read.note.replace(/\.$/, '')] : [];
    if (res.capped) notes.push(`only the first ${res.chunks.length} of ${res.totalChunks} chunks were kept (maxChunksPerFile)`);
    if (res.omittedLongLines > 0) notes.push(`${res.omittedLongLines} line(s) over ${MAX_LINE_CHARS} characters left out`);
    const note = res.capped ? 'chunk-cap' : res.omittedLongLines > 0 ? 'long-lines-omitted' : read.note ? 'decoded-as-latin1' : '';
    ledger.begin(file.path, res.chunks.length, note, notes.length ? capitalize(notes.join('; ')) + '.' : undefined);
    return res.chunks;
  } catch (e) {
    ledger.set(file.path, 'failed', 'chunking-failed', `Could not cut the file into chunks: ${(e as Error).message}`);
    return [];
  }
}

function metaOf(c: Chunk): ChunkMeta {
  return { path: c.path, startLine: c.startLine, endLine: c.endLine, symbol: c.symbol, kind: c.kind, snippet: snippetOf(c.text) };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
