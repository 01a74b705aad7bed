// The index of one folder: its live vector store and the report of every path, kept together in one store
// folder. A full run rebuilds it in place and single changes update it, so it can be searched at any moment,
// including while it is being built. The CLI holds one; the language server holds one per workspace folder.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EngineSettings } from '../../../common/settings';
import { EmbedderUnavailableError } from './embedder/backend';
import type { WorkerStats } from './embedder/embedderPool';
import { Checkpointer, CheckpointPolicy, DEFAULT_CHECKPOINT } from './indexer/checkpointer';
import type { FileChanges, IndexDeps } from './indexer/fileIndexer';
import { FileLedger } from './indexer/fileLedger';
import { indexFolder, IndexProgress } from './indexer/indexer';
import { updatePaths, UpdateOutcome } from './indexer/pathUpdater';
import { RssMonitor } from './indexer/rssMonitor';
import { pathInside } from './scanner/insideFolder';
import { decode } from './scanner/decode';
import { maxFileBytes } from './scanner/scanOptions';
import type { TermOptions } from './lexical/codeTerms';
import type { Query } from './search/query';
import { FileLines } from './search/fileLines';
import { Searcher, searchChunkSegments } from './search/searcher';
import { dirSizeBytes, loadStore, SavedRun, saveStore, saveStoreInTurns, STORE_FORMAT, StoreManifest } from './store/storeFolder';
import { StoreWriteError } from './store/storeWriteError';
import { ChunkSegments } from './store/chunkSegments';
import type { FileReport, SearchHit } from './types';

export interface IndexSummary {
  root: string;
  files: { indexed: number; skipped: Record<string, number>; failed: number; failedReasons?: Record<string, number> };
  chunks: number;
  embedded: number;
  cacheHits: number;
  /** Chunks of changed files whose text was unchanged: their stored vectors were kept. */
  reused: number;
  /** Files added, changed, removed and unchanged since the saved index the run started from. */
  changes: FileChanges;
  tokens: number;
  seconds: number;
  tokensPerSecond: number;
  peakRssMB: number;
  /** The longest the event loop of the process running the index was blocked during the run (ms): what a
   *  request to that process (a search, a health report) could have waited at worst. */
  longestStallMs: number;
  storeBytes: number;
  /** storeBytes over chunks (0 for an empty index). */
  storeBytesPerChunk: number;
  workers: WorkerStats[];
  cancelled: boolean;
  /** The unfinished run this one took up where it stopped, when the saved index was one's. */
  resumed?: ResumePoint;
  /** Why the saved index could not be reused and this run started from nothing (another model, format, ...). */
  rebuilt?: string;
  /** The run's final save failed (full disk, read-only folder), in one line: the store on disk is the one before. */
  saveError?: string;
}

/** A saved index that a run left before its end (a checkpoint, or the save of a stopped run): where the next run resumes. */
export interface ResumePoint extends SavedRun {
  state: 'checkpoint' | 'interrupted';
  /** ISO time of the save. */
  savedAt: string;
}

/** What a folder index borrows from the engine: the model, the settings, the pool. */
export interface IndexResources {
  readonly modelId: string;
  readonly dims: number;
  /** How often a long run saves its progress (DEFAULT_CHECKPOINT when absent). */
  readonly checkpoint?: CheckpointPolicy;
  currentSettings(): EngineSettings;
  /** Starts the embedder pool if it is not running. */
  indexDeps(segments: ChunkSegments, settings: () => EngineSettings): Promise<IndexDeps>;
  workerPids(): number[];
  workerStats(): WorkerStats[];
}

export class FolderIndex implements Searcher {
  private segments: ChunkSegments;
  private ledger = new FileLedger();
  private unsaved = false;
  /** The lines searches read back, kept while their files are unchanged. */
  private readonly lines = new FileLines(file => this.readText(file));
  /** Why the last save failed, until one succeeds; the index in memory is whole and searchable meanwhile. */
  private saveFailure?: StoreWriteError;
  /** Told when a save fails or, after failures, succeeds again (the server logs and republishes health). */
  onSaveError?: (error: StoreWriteError | undefined) => void;
  /** Why a saved index was found but not loaded; reported by the next run's summary. */
  private rebuildReason?: string;
  /** Why the saved index was set aside at load (another model, a damaged file): the health view says it for as
   *  long as this process runs, so a user who sees everything embedded again knows why. */
  rebuiltBecause?: string;
  /** The chunking settings the ledger's files were cut under (see chunkingOf). */
  private chunkedWith?: Chunking;
  /** While a run is in progress: a save then is a checkpoint (files with chunks in flight not recorded as indexed). */
  private running = false;
  /** Set at load when the saved index is an unfinished run's, until the next run ends (its summary says it). */
  resumes?: ResumePoint;
  readonly root: string;

  /**
   * With `reuse`, a compatible index saved by an earlier run is loaded, so search works before the first run
   * ends. `terms` says how a new lexical index cuts text (the quality benchmark measures stemming with it); a
   * saved one keeps the options it was built with.
   */
  constructor(
    root: string,
    readonly storeDir: string,
    private readonly engine: IndexResources,
    reuse = false,
    terms?: TermOptions,
  ) {
    this.root = path.resolve(root);
    this.segments = (reuse && this.loadSaved()) || ChunkSegments.create(engine.dims, terms, this.storeDir);
  }

  get chunks(): number {
    return this.segments.count;
  }
  get vectors(): number {
    return this.segments.vectorCount;
  }
  /** Rows held, removed chunks' included: stays within a few times `chunks` because mostly-removed segments are absorbed. */
  get slots(): number {
    return this.segments.slots;
  }
  get hasUnsavedChanges(): boolean {
    return this.unsaved;
  }
  /** The last save's failure in one line (what happened, what to do), until a save succeeds. */
  get saveError(): string | undefined {
    return this.saveFailure?.message;
  }

  /** The index saved in storeDir as it is, whatever token budget it was built under; throws one line if there is none. */
  static readSaved(storeDir: string, engine: IndexResources): FolderIndex {
    const saved = loadStore(storeDir, engine.modelId);
    const folder = new FolderIndex(saved.manifest.root, storeDir, engine);
    folder.segments = saved.segments;
    folder.ledger = FileLedger.from(saved.files);
    folder.chunkedWith = chunkingOf(saved.manifest);
    return folder;
  }

  /** Closes the store's files (its sealed segments keep two open each); the index is not used after. */
  close(): void {
    this.segments.close();
  }

  files(): FileReport[] {
    return this.ledger.reports();
  }
  fileCounts(): IndexSummary['files'] {
    return this.ledger.summary();
  }

  /** The token budget this index's chunks were cut to: a query is cut to it too. */
  get queryTokens(): number {
    return (this.chunkedWith ?? this.settings()).maxChunkTokens;
  }

  search(query: Query): Promise<SearchHit[]> {
    return searchChunkSegments(this.segments, query, relPath => this.fileLines(relPath));
  }

  /**
   * A file's text as it is now (undefined: outside the folder, gone, too large or unreadable): results read
   * their snippets from it, pasted-code queries their lines, the MCP server's find_similar its source.
   */
  async fileText(relPath: string): Promise<string | undefined> {
    const file = this.fileOf(relPath);
    return file === undefined ? undefined : this.readText(file);
  }

  /** fileText() as lines, kept while the file is unchanged (search/fileLines.ts): what searches read back. */
  fileLines(relPath: string): Promise<string[] | undefined> {
    const file = this.fileOf(relPath);
    return file === undefined ? Promise.resolve(undefined) : this.lines.lines(file);
  }

  /** The absolute path of a path in the index, undefined when it would lead outside the folder. */
  private fileOf(relPath: string): string | undefined {
    const file = path.join(this.root, ...relPath.split('/'));
    return pathInside(this.root, file) === undefined ? undefined : file;
  }

  private async readText(file: string): Promise<string | undefined> {
    try {
      const handle = await fs.promises.open(file, 'r');
      try {
        if ((await handle.stat()).size > maxFileBytes(this.settings())) return undefined;
        // Decoded as the scanner decoded it when indexing (a Latin-1 file reads as Latin-1).
        const decoded = decode(await handle.readFile());
        return decoded.ok ? decoded.text : undefined;
      } finally {
        await handle.close();
      }
    } catch {
      return undefined; // gone or unreadable since it was indexed: the rule simply does not apply
    }
  }

  /**
   * Walks the whole folder and reconciles the store with it, then saves: files unchanged since the saved (or
   * last) run keep their chunks untouched, changed ones re-embed only changed chunks, gone ones leave.
   */
  async index(onProgress: (p: IndexProgress) => void = () => {}, signal?: AbortSignal): Promise<IndexSummary> {
    if (!fs.existsSync(this.root) || !fs.statSync(this.root).isDirectory())
      throw new Error(`${this.root} is not a folder; give the path of the folder to index.`);
    const started = performance.now();
    const deps = await this.engine.indexDeps(this.segments, () => this.settings());
    const rss = new RssMonitor(
      () => this.engine.workerPids(),
      () => this.engine.workerStats().reduce((s, w) => s + w.rssMB * 1048576, 0),
    );
    rss.start();
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    this.running = true;
    try {
      // Unchanged files keep their chunks only if they would be cut the same way today.
      const chunking = chunkingOf(this.settings());
      if (!this.chunkedWith || !sameChunking(chunking, this.chunkedWith)) this.ledger.forgetContent();
      this.chunkedWith = chunking;
      const previous = this.ledger;
      this.ledger = new FileLedger();
      // Checkpoints save files whose chunks are all stored as done, so a killed run resumes after them.
      const checkpoint = new Checkpointer(this.engine.checkpoint ?? DEFAULT_CHECKPOINT, () => this.saveAsInTurns('checkpoint'));
      const out = await indexFolder(this.root, deps, onProgress, signal, this.ledger, previous, checkpoint);
      const own = this.storeFolderInside();
      if (own && this.ledger.get(own)) {
        this.ledger.skip({
          path: own,
          status: 'skipped',
          reason: 'excluded-folder',
          detail: 'The folder this index is stored in (--store), which is never indexed.',
          chunks: 0,
        });
      }
      // A stopped run saves what it has, as a checkpoint would: the next run resumes from it.
      const saved = await this.saveAsInTurns(out.cancelled || out.stoppedBy ? 'interrupted' : 'complete');
      if (out.stoppedBy) {
        const kept = saved
          ? `${this.segments.count.toLocaleString('en-US')} chunks are saved and the next run resumes from them`
          : 'the last saved index is kept';
        throw new EmbedderUnavailableError(`${out.stoppedBy.message.replace(/\.$/, '')}; ${kept}.`);
      }
      const seconds = (performance.now() - started) / 1000;
      const storeBytes = dirSizeBytes(this.storeDir);
      return {
        root: this.root,
        files: this.ledger.summary(),
        chunks: this.segments.count,
        embedded: out.embedded,
        cacheHits: out.cacheHits,
        reused: out.reused,
        changes: out.changes,
        tokens: out.tokens,
        seconds: Math.round(seconds * 100) / 100,
        tokensPerSecond: Math.round(out.tokens / seconds),
        peakRssMB: Math.round(rss.peakBytes / 1048576),
        longestStallMs: Math.round(stalls.max / 1e6),
        storeBytes,
        storeBytesPerChunk: this.segments.count ? Math.round(storeBytes / this.segments.count) : 0,
        workers: this.engine.workerStats(),
        cancelled: out.cancelled,
        ...this.takeResumePoint(),
        ...this.takeRebuildReason(),
        ...(saved ? {} : { saveError: this.saveError }),
      };
    } finally {
      this.running = false;
      stalls.disable();
      rss.stop();
    }
  }

  /** Follows changed paths (relative, '/' separators); a changed top-level .gitignore re-runs the folder. */
  async update(
    relPaths: readonly string[],
    signal?: AbortSignal,
    onProgress: (p: IndexProgress) => void = () => {},
  ): Promise<UpdateOutcome> {
    if (relPaths.includes('.gitignore')) {
      const s = await this.index(onProgress, signal);
      return { embedded: s.embedded, cacheHits: s.cacheHits, reused: s.reused, tokens: s.tokens, paths: 1, cancelled: s.cancelled };
    }
    const deps = await this.engine.indexDeps(this.segments, () => this.settings());
    const out = await updatePaths(this.root, relPaths, deps, this.ledger, signal, onProgress);
    this.unsaved = true;
    return out;
  }

  /**
   * Saves, or records why it could not: a full or read-only disk must not stop a run, which goes on in memory
   * (search keeps working) and saves again at its next checkpoint or end; the store on disk is then the one
   * before. A `checkpoint` (mid-run; the default while a run is in progress) records files with chunks still
   * in flight as not yet indexed. Returns whether it saved.
   */
  trySave(checkpoint = this.running): boolean {
    return this.saveAs(checkpoint ? 'checkpoint' : 'complete');
  }

  /** trySave, a step per turn of the event loop: what the server saves between runs (followed edits). */
  saveInTurns(): Promise<boolean> {
    return this.saveAsInTurns(this.running ? 'checkpoint' : 'complete');
  }

  /** trySave, saying in the manifest whether the save ends a run or comes from one that has not finished. */
  private saveAs(state: SavedRun['state']): boolean {
    const { manifest, files } = this.saveContents(state);
    try {
      saveStore(this.storeDir, manifest, this.segments, files);
    } catch (e) {
      return this.saveFailed(e);
    }
    return this.saved();
  }

  /** saveAs, a step per turn of the event loop (store/steps.ts): a run's checkpoints and its last save. */
  private async saveAsInTurns(state: SavedRun['state']): Promise<boolean> {
    const { manifest, files } = this.saveContents(state);
    try {
      await saveStoreInTurns(this.storeDir, manifest, this.segments, files);
    } catch (e) {
      return this.saveFailed(e);
    }
    return this.saved();
  }

  private saveContents(state: SavedRun['state']): { manifest: StoreManifest; files: FileReport[] } {
    const s = this.settings();
    const files = state === 'complete' ? this.ledger.reports() : this.ledger.checkpointReports();
    const run: SavedRun = {
      state,
      files: files.filter(f => f.status === 'indexed' && f.size !== undefined).length,
      chunks: this.segments.count,
    };
    return {
      manifest: {
        format: STORE_FORMAT,
        modelId: this.engine.modelId,
        dims: this.engine.dims,
        maxChunkTokens: s.maxChunkTokens,
        maxChunksPerFile: (this.chunkedWith ?? s).maxChunksPerFile,
        indexDataFiles: (this.chunkedWith ?? s).indexDataFiles,
        root: this.root,
        indexedAt: new Date().toISOString(),
        run,
      },
      files,
    };
  }

  private saveFailed(e: unknown): false {
    if (!(e instanceof StoreWriteError)) throw e;
    // What is in memory is not on disk: shutdown (or the next save) tries again.
    this.unsaved = true;
    const changed = this.saveFailure?.message !== e.message;
    this.saveFailure = e;
    if (changed) this.onSaveError?.(e);
    return false;
  }

  private saved(): true {
    this.unsaved = false;
    if (this.saveFailure) {
      this.saveFailure = undefined;
      this.onSaveError?.(undefined);
    }
    return true;
  }

  /** The engine's settings plus an exclusion of the store folder when it lies inside the indexed folder. */
  private settings(): EngineSettings {
    const s = this.engine.currentSettings();
    const own = this.storeFolderInside();
    return own ? { ...s, excludeGlobs: [...s.excludeGlobs, `/${own.replace(/[\\*?[\]!#]/g, '\\$&')}`] } : s;
  }

  /** 'a/b/' when the store folder lies inside the indexed folder (index . --store .semsearch), else undefined. */
  private storeFolderInside(): string | undefined {
    const rel = pathInside(this.root, path.resolve(this.storeDir));
    return rel === undefined ? undefined : `${rel}/`;
  }

  private loadSaved(): ChunkSegments | undefined {
    if (!fs.existsSync(path.join(this.storeDir, 'manifest.json'))) return undefined; // none yet: the first run builds one
    try {
      const s = this.engine.currentSettings();
      const saved = loadStore(this.storeDir, this.engine.modelId, s.maxChunkTokens);
      if (path.resolve(saved.manifest.root) !== this.root)
        return this.rebuild(`The index in ${this.storeDir} was built for ${saved.manifest.root}, not ${this.root}; it is rebuilt.`);
      if (saved.segments.dims !== this.engine.dims)
        return this.rebuild(
          `The index in ${this.storeDir} holds ${saved.segments.dims}-dimension vectors, not ${this.engine.dims}; it is rebuilt.`,
        );
      this.ledger = FileLedger.from(saved.files);
      this.chunkedWith = chunkingOf(saved.manifest);
      this.resumes = resumePointOf(saved.manifest);
      return saved.segments;
    } catch (e) {
      // Another model, token budget or format, or an unreadable file: its vectors cannot be reused.
      return this.rebuild(`${(e as Error).message.replace(/; index the folder again\.$/, '')}; it is rebuilt.`);
    }
  }

  private rebuild(reason: string): undefined {
    this.rebuildReason = reason;
    this.rebuiltBecause = reason;
    return undefined;
  }

  private takeResumePoint(): { resumed?: ResumePoint } {
    const resumed = this.resumes;
    this.resumes = undefined;
    return resumed ? { resumed } : {};
  }

  private takeRebuildReason(): { rebuilt?: string } {
    const reason = this.rebuildReason;
    this.rebuildReason = undefined;
    return reason ? { rebuilt: reason } : {};
  }
}

/** Where a saved index left an unfinished run; undefined for a complete run's (or an older store's, which says nothing). */
function resumePointOf(m: StoreManifest): ResumePoint | undefined {
  const run = m.run;
  if (!run || run.state === 'complete') return undefined;
  return { state: run.state, files: run.files, chunks: run.chunks, savedAt: m.indexedAt };
}

/**
 * The settings that decide how a file is cut into chunks (and whether a data file is at all); the files' size,
 * mtime and hash stand only under them.
 */
interface Chunking {
  maxChunkTokens: number;
  maxChunksPerFile?: number; // absent from stores saved before it was recorded
  /** A file the data-file rule judged keeps that verdict only under the same setting. */
  indexDataFiles?: boolean; // absent: saved before the rule, when data files were always indexed
}

function chunkingOf(s: Chunking): Chunking {
  return { maxChunkTokens: s.maxChunkTokens, maxChunksPerFile: s.maxChunksPerFile, indexDataFiles: s.indexDataFiles ?? true };
}

function sameChunking(a: Chunking, b: Chunking): boolean {
  return a.maxChunkTokens === b.maxChunkTokens && a.maxChunksPerFile === b.maxChunksPerFile && a.indexDataFiles === b.indexDataFiles;
}
