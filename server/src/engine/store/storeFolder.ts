// The store folder: the HNSW index and chunk metadata (VectorStore), the files report and a manifest that
// records what the vectors mean (model, dimensions, token budget). A store made under another model or
// format cannot be searched with this one.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileReport } from '../types';
import { VectorStore, writeJsonAtomic } from './vectorStore';

export const STORE_FORMAT = 1;

export interface StoreManifest {
  format: number;
  modelId: string;
  dims: number;
  maxChunkTokens: number;
  /** The chunk cap the files were chunked under; another one makes the next run chunk every file again. */
  maxChunksPerFile?: number;
  root: string;
  indexedAt: string;
}

export class StoreMismatchError extends Error {}

export function saveStore(dir: string, manifest: StoreManifest, store: VectorStore, files: FileReport[]): void {
  store.save(dir);
  writeJsonAtomic(path.join(dir, 'files.json'), files);
  // The manifest goes last: a store without one is treated as absent.
  writeJsonAtomic(path.join(dir, 'manifest.json'), manifest);
}

export function readManifest(dir: string): StoreManifest | undefined {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StoreManifest;
  } catch (e) {
    throw new StoreMismatchError(`The index manifest ${file} is unreadable (${(e as Error).message}); index the folder again.`);
  }
}

/** Loads a store for searching with the given model, or explains in one line why it cannot. */
export function loadStore(dir: string, modelId: string, maxChunkTokens: number): { manifest: StoreManifest; store: VectorStore; files: FileReport[] } {
  const manifest = readManifest(dir);
  if (!manifest) throw new StoreMismatchError(`No index in ${dir}; run "semsearch index <folder> --store ${dir}" first.`);
  if (manifest.format !== STORE_FORMAT || manifest.modelId !== modelId || manifest.maxChunkTokens !== maxChunkTokens) {
    throw new StoreMismatchError(
      `The index in ${dir} was built with model ${manifest.modelId} (budget ${manifest.maxChunkTokens}, format ${manifest.format}), not ${modelId} (budget ${maxChunkTokens}, format ${STORE_FORMAT}); index the folder again.`,
    );
  }
  const files = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8')) as FileReport[];
  return { manifest, store: VectorStore.load(dir), files };
}

export function dirSizeBytes(dir: string): number {
  let total = 0;
  for (const name of fs.readdirSync(dir)) {
    const st = fs.statSync(path.join(dir, name));
    if (st.isFile()) total += st.size;
  }
  return total;
}
