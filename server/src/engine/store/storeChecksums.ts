// Checksums of the store's files, recorded in the manifest and verified before anything is parsed: a
// truncated graph handed to native code can abort the whole process, so it must never reach it. A sealed
// segment's files are hashed once, when it is sealed (they never change); files.json at every save.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEGMENT_FILE_KINDS, segmentFiles } from './segmentFiles';
import type { SegmentRecord } from './chunkSegments';

/** The file beside the segments that a manifest vouches for (the manifest itself is checked by parsing it). */
export const FILES_REPORT = 'files.json';

export type StoreChecksums = Record<string, string>;

export class StoreCorruptError extends Error {}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Throws a one-line StoreCorruptError naming the first store file that is missing or not what the manifest recorded. */
export function verifyChecksums(dir: string, filesReport: string | undefined, segments: SegmentRecord[]): void {
  if (!filesReport) throw new StoreCorruptError(`The index manifest in ${dir} records no checksums; index the folder again.`);
  verifyFile(path.join(dir, FILES_REPORT), filesReport);
  for (const s of segments) {
    const files = segmentFiles(dir, s.id);
    for (const kind of SEGMENT_FILE_KINDS) verifyFile(files[kind], s.checksums[kind]);
  }
}

function verifyFile(file: string, recorded: string | undefined): void {
  if (!fs.existsSync(file)) throw new StoreCorruptError(`The index file ${file} is missing; index the folder again.`);
  if (recorded !== sha256File(file))
    throw new StoreCorruptError(`The index file ${file} is corrupted (its checksum does not match the manifest); index the folder again.`);
}
