// The store folder: the segments of the ChunkSegments (each four files: graph, vector codes, metadata columns,
// lexical postings), the files report and a manifest that records what the vectors mean (model, dimensions,
// token budget) and which segments are the index. A store made under another model or format cannot be
// searched with this one. The manifest also holds each file's checksum, so a truncated or damaged file is
// found at load and the index rebuilt instead of read. The manifest's rename is a save's commit point.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileReport } from '../types';
import { FILES_REPORT, StoreCorruptError, verifyChecksums } from './storeChecksums';
import { runInTurns, runNow, sha256InSteps, Steps } from './steps';
import { storeFs } from './storeFs';
import { tempNameOf } from './storeTemp';
import { StoreWriteError } from './storeWriteError';
import { StoreLayout, ChunkSegments } from './chunkSegments';

/** 2: checksums; 3: the lexical index; 4: segments (usearch graphs, columns, compact postings). Older stores are rebuilt. */
export const STORE_FORMAT = 4;

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
  /** The segments and what they hold. */
  layout?: StoreLayout;
  /** sha256 of files.json as written with this manifest (each segment's files are in layout). */
  filesChecksum?: string;
}

export class StoreMismatchError extends Error {}

/**
 * Writes the store, or throws a one-line StoreWriteError and leaves the previous store as it was: the active
 * segment is sealed into new files (no saved manifest lists them yet), files.json and the manifest are
 * written under temp names, and the manifest's rename commits. Only then are the files of segments the new
 * manifest no longer lists removed. A kill at any instant leaves the old manifest or the new one, each with
 * all of its segments' files; one between files.json's rename and the manifest's leaves a files.json the old
 * manifest's checksum rejects (the index is rebuilt, never read wrong).
 */
export function saveStore(dir: string, manifest: StoreManifest, segments: ChunkSegments, files: FileReport[]): void {
  runNow(saveSteps(dir, manifest, segments, files));
}

/** saveStore, a step per turn of the event loop (steps.ts), so the process stays responsive while it saves. */
export function saveStoreInTurns(dir: string, manifest: StoreManifest, segments: ChunkSegments, files: FileReport[]): Promise<void> {
  return runInTurns(saveSteps(dir, manifest, segments, files));
}

function* saveSteps(dir: string, manifest: StoreManifest, segments: ChunkSegments, files: FileReport[]): Steps<void> {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const layout = yield* segments.saveSteps(dir);
    const filesFile = path.join(dir, FILES_REPORT);
    const filesTemp = tempNameOf(filesFile);
    yield* writeJsonInSteps(filesTemp, files);
    const manifestFile = path.join(dir, 'manifest.json');
    const manifestTemp = writeJsonTemp(manifestFile, { ...manifest, layout, filesChecksum: yield* sha256InSteps(filesTemp) });
    storeFs.renameSync(filesTemp, filesFile);
    storeFs.renameSync(manifestTemp, manifestFile);
  } catch (e) {
    segments.saveFailed();
    removeTempFiles(dir);
    throw new StoreWriteError(manifest.root, dir, e);
  }
  segments.commit();
}

/**
 * An array as JSON in `file`, a slice of items stringified and written per step: the files report of the
 * Linux kernel's 86,000 files is ~14 MB, whose one write took ~170 ms.
 */
function* writeJsonInSteps(file: string, items: unknown[]): Steps<void> {
  storeFs.writeFileSync(file, '[');
  for (let i = 0; i < items.length; i += 5000) {
    storeFs.appendFileSync(
      file,
      (i > 0 ? ',' : '') +
        items
          .slice(i, i + 5000)
          .map(x => JSON.stringify(x))
          .join(','),
    );
    yield;
  }
  storeFs.appendFileSync(file, ']');
}

/** Writes value beside file under a temp name and returns that name. */
export function writeJsonTemp(file: string, value: unknown): string {
  const tmp = tempNameOf(file);
  storeFs.writeFileSync(tmp, JSON.stringify(value));
  return tmp;
}

/** Best effort: a folder that refused the writes usually refuses nothing here, since nothing was created. */
function removeTempFiles(dir: string): void {
  const suffix = tempNameOf('');
  try {
    for (const name of fs.readdirSync(dir)) if (name.endsWith(suffix)) fs.rmSync(path.join(dir, name), { force: true });
  } catch {
    /* left for the next save to overwrite */
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
export function loadStore(
  dir: string,
  modelId: string,
  maxChunkTokens?: number,
): { manifest: StoreManifest; segments: ChunkSegments; files: FileReport[] } {
  const manifest = readManifest(dir);
  if (!manifest) throw new StoreMismatchError(`No index in ${dir}; run "semsearch index <folder> --store ${dir}" first.`);
  // Searching needs the same model; only indexing into it needs the same budget (undefined: any budget).
  const budget = maxChunkTokens ?? manifest.maxChunkTokens;
  if (manifest.format !== STORE_FORMAT || manifest.modelId !== modelId || manifest.maxChunkTokens !== budget) {
    throw new StoreMismatchError(
      `The index in ${dir} was built with model ${manifest.modelId} (budget ${manifest.maxChunkTokens}, format ${manifest.format}), not ${modelId} (budget ${budget}, format ${STORE_FORMAT}); index the folder again.`,
    );
  }
  verifyChecksums(dir, manifest.filesChecksum, manifest.layout?.segments ?? []);
  try {
    const files = JSON.parse(fs.readFileSync(path.join(dir, FILES_REPORT), 'utf8')) as FileReport[];
    if (!manifest.layout) throw new Error('the manifest lists no segments');
    return { manifest, segments: ChunkSegments.open(dir, manifest.layout), files };
  } catch (e) {
    throw new StoreCorruptError(`The index in ${dir} could not be read (${(e as Error).message}); index the folder again.`);
  }
}

/** The chunks saved in `dir`, whatever model made them (checksums verified): for tools and tests that read a store. */
export function readStore(dir: string): ChunkSegments {
  const manifest = readManifest(dir);
  if (!manifest?.layout) throw new StoreMismatchError(`No index in ${dir}; run "semsearch index <folder> --store ${dir}" first.`);
  verifyChecksums(dir, manifest.filesChecksum, manifest.layout.segments);
  return ChunkSegments.open(dir, manifest.layout);
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
