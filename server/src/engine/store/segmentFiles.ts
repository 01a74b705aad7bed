// The four files of a sealed segment, named by its id in the store folder.

import * as path from 'node:path';

export interface SegmentFileSet {
  /** The usearch graph (int8), memory-mapped when open. */
  graph: string;
  /** Each row's vector codes (vectorCodes.ts), read a row at a time. */
  codes: string;
  /** The chunk metadata columns (chunkColumns.ts), read whole. */
  columns: string;
  /** The lexical postings (lexicalSegment.ts): the dictionary read whole, postings on demand. */
  lexical: string;
}

export const SEGMENT_FILE_KINDS = ['graph', 'codes', 'columns', 'lexical'] as const;
const SUFFIX: Record<keyof SegmentFileSet, string> = { graph: 'usearch', codes: 'codes', columns: 'meta', lexical: 'lex' };

export function segmentFiles(dir: string, id: number): SegmentFileSet {
  const name = (kind: keyof SegmentFileSet) => path.join(dir, `seg-${id}.${SUFFIX[kind]}`);
  return { graph: name('graph'), codes: name('codes'), columns: name('columns'), lexical: name('lexical') };
}

/** The id of a segment file's name (seg-12.lex -> 12), or undefined for any other file. */
export function segmentIdOf(fileName: string): number | undefined {
  const m = /^seg-(\d+)\.(usearch|codes|meta|lex)(\..*)?$/.exec(fileName);
  return m ? Number(m[1]) : undefined;
}
