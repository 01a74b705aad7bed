// "Find Similar Code" starts from code in the editor, which is indexed too and would always come first with a
// perfect score. Results overlapping the code it started from are that code itself, not something similar.
// The Quick Pick and the MCP server's find_similar both apply it; no vscode import, so it has a plain unit test.

import type { SearchResultItem } from './protocol';

/** Where Find Similar started: a file and its 0-based lines, both ends included. */
export interface SimilarSource {
  uri: string;
  startLine: number;
  endLine: number;
}

/** `results` without those overlapping `source`; `normalize` makes two spellings of a URI compare equal. */
export function withoutSource(
  results: SearchResultItem[],
  source: SimilarSource | undefined,
  normalize: (uri: string) => string = u => u,
): SearchResultItem[] {
  if (!source) return results;
  const uri = normalize(source.uri);
  // A result's range ends at the start of the line after its last one (LSP ends are exclusive).
  return results.filter(r => normalize(r.uri) !== uri || r.range.end.line <= source.startLine || r.range.start.line > source.endLine);
}
