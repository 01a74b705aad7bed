// Checksums of the store's files, recorded in the manifest and verified before anything is parsed: a
// truncated index.hnsw handed to hnswlib can abort the whole process, so it must never reach readIndex.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The files a manifest vouches for (the manifest itself is checked by parsing it). */
export const STORE_FILES = ['index.hnsw', 'chunks.json', 'lexical.json', 'files.json'] as const;

export type StoreChecksums = Record<string, string>;

export class StoreCorruptError extends Error {}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Throws a one-line StoreCorruptError naming the first store file that is missing or not what the manifest recorded. */
export function verifyChecksums(dir: string, recorded: StoreChecksums | undefined): void {
  if (!recorded) throw new StoreCorruptError(`The index manifest in ${dir} records no checksums; index the folder again.`);
  for (const name of STORE_FILES) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new StoreCorruptError(`The index file ${file} is missing; index the folder again.`);
    if (recorded[name] !== sha256File(file)) throw new StoreCorruptError(`The index file ${file} is corrupted (its checksum does not match the manifest); index the folder again.`);
  }
}
