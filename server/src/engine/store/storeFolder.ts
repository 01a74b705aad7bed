// The store folder: the HNSW index, chunk metadata and lexical index (VectorStore), the files report and a manifest that
// records what the vectors mean (model, dimensions, token budget). A store made under another model or
// format cannot be searched with this one. The manifest also holds each file's checksum, so a truncated or
// damaged file is found at load and the index rebuilt instead of read.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileReport } from '../types';
import { sha256File, STORE_FILES, StoreChecksums, StoreCorruptError, verifyChecksums } from './storeChecksums';
import { storeFs } from './storeFs';
import { StoreWriteError } from './storeWriteError';
import { tempNameOf, VectorStore, writeJsonTemp } from './vectorStore';

/** 2: the manifest records checksums; 3: the lexical index is part of the store. Older stores are rebuilt. */
export const STORE_FORMAT = 3;

/**
 * What the save ended: a whole run ('complete'), or one that had not finished: a checkpoint taken mid-run
 * (the process may have been killed after it) or the save of a run that was stopped ('interrupted'). The
 * next run says that it resumes, from how much.
 */
export interface SavedRun {
  state: 'complete' | 'checkpoint' | 'interrupted';
  /** Files indexed whole in the saved index (a file with chunks still in flight is not counted). */
  files: number;
  chunks: number;
}

export interface StoreManifest {
  format: number;
  modelId: string;
  dims: number;
  maxChunkTokens: number;
  /** The chunk cap the files were chunked under; another one makes the next run chunk every file again. */
  maxChunksPerFile?: number;
  /** Whether data files were indexed (absent: saved before the data-file rule, when they always were). */
  indexDataFiles?: boolean;
  root: string;
  indexedAt: string;
  /** Absent from stores saved before it was recorded. */
  run?: SavedRun;
  /** sha256 of each of STORE_FILES, as written with this manifest. */
  checksums?: StoreChecksums;
}

export class StoreMismatchError extends Error {}

/**
 * Writes the store, or throws a one-line StoreWriteError and leaves the previous store as it was: every file,
 * the manifest included, is written and hashed under a temp name before anything is renamed, so a full disk
 * or a read-only folder fails before the first rename and the temp files are removed. The renames follow a
 * moment apart; one failing (or a kill) between them leaves files the old manifest's checksums reject at
 * load, so the index is rebuilt rather than read wrong. Data files are renamed first, the manifest last: a
 * store without one is treated as absent.
 */
export function saveStore(dir: string, manifest: StoreManifest, store: VectorStore, files: FileReport[]): void {
  try {
    const pending = [...store.saveTemp(dir), [writeJsonTemp(path.join(dir, 'files.json'), files), path.join(dir, 'files.json')]];
    const checksums: StoreChecksums = {};
    for (const [tmp, final] of pending) checksums[path.basename(final)] = sha256File(tmp);
    const manifestFile = path.join(dir, 'manifest.json');
    pending.push([writeJsonTemp(manifestFile, { ...manifest, checksums }), manifestFile]);
    for (const [tmp, final] of pending) storeFs.renameSync(tmp, final);
  } catch (e) {
    removeTempFiles(dir);
    throw new StoreWriteError(manifest.root, dir, e);
  }
}

/** Best effort: a folder that refused the writes usually refuses nothing here, since nothing was created. */
function removeTempFiles(dir: string): void {
  for (const name of [...STORE_FILES, 'manifest.json']) {
    try { fs.rmSync(tempNameOf(path.join(dir, name)), { force: true }); } catch { /* left for the next save to overwrite */ }
  }
}

export function readManifest(dir: string): StoreManifest | undefined {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof manifest !== 'object' || manifest === null) throw new Error('not a JSON object');
    return manifest as StoreManifest;
  } catch (e) {
    throw new StoreMismatchError(`The index manifest ${file} is unreadable (${(e as Error).message}); index the folder again.`);
  }
}

/** Loads a store for searching with the given model, or explains in one line why it cannot. */
export function loadStore(dir: string, modelId: string, maxChunkTokens?: number): { manifest: StoreManifest; store: VectorStore; files: FileReport[] } {
  const manifest = readManifest(dir);
  if (!manifest) throw new StoreMismatchError(`No index in ${dir}; run "semsearch index <folder> --store ${dir}" first.`);
  // Searching needs the same model; only indexing into it needs the same budget (undefined: any budget).
  const budget = maxChunkTokens ?? manifest.maxChunkTokens;
  if (manifest.format !== STORE_FORMAT || manifest.modelId !== modelId || manifest.maxChunkTokens !== budget) {
    throw new StoreMismatchError(
      `The index in ${dir} was built with model ${manifest.modelId} (budget ${manifest.maxChunkTokens}, format ${manifest.format}), not ${modelId} (budget ${budget}, format ${STORE_FORMAT}); index the folder again.`,
    );
  }
  verifyChecksums(dir, manifest.checksums);
  try {
    const files = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8')) as FileReport[];
    return { manifest, store: VectorStore.load(dir), files };
  } catch (e) {
    throw new StoreCorruptError(`The index in ${dir} could not be read (${(e as Error).message}); index the folder again.`);
  }
}

/** Bytes of the files in a store folder; 0 while it does not exist yet. */
export function dirSizeBytes(dir: string): number {
  let total = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const name of fs.readdirSync(dir)) {
    const st = fs.statSync(path.join(dir, name));
    if (st.isFile()) total += st.size;
  }
  return total;
}
