// A search over the workspace: the request's folder and glob are checked here, then the one engine search
// path runs over the folders asked for (a FanOut of their indexes). Results come from the indexes only; no
// file is read.

import ignore from 'ignore';
import type { SearchParams, SearchResult, SearchResultItem } from '../../../common/protocol';
import { DEFAULT_SETTINGS } from '../../../common/settings';
import { BadQueryError, FanOut, Query, type ChunkMeta, type SearchHit } from '../engine';
import type { IndexService } from './indexService';
import { BadParamsError, UnavailableError } from './serviceErrors';
import { uriOf, WorkspaceFolder } from './workspaceFolders';

export async function searchWorkspace(
  service: IndexService,
  params: SearchParams,
  isCancelled: () => boolean = () => false,
): Promise<SearchResult> {
  if (!params || typeof params !== 'object') throw new BadParamsError('Search needs parameters {query, k}.');
  const folders = targetFolders(service, params.folder);
  const filter = globFilter(params.glob);
  const engine = service.currentEngine;
  const unavailable = service.unavailableReason;
  let query: Query;
  try {
    const mode = params.mode ?? engine?.currentSettings().searchMode ?? DEFAULT_SETTINGS.searchMode;
    query = new Query(params.query, { k: params.k, mode, filter }, text => engine!.embed(text));
  } catch (e) {
    if (e instanceof BadQueryError) throw new BadParamsError(e.message);
    throw e;
  }
  if (!engine || unavailable) throw new UnavailableError(unavailable ?? 'The index is not ready.');
  const fanOut = new FanOut(
    folders.flatMap(folder => (folder.index ? [{ source: folder, searcher: folder.index }] : [])),
    isCancelled,
  );
  const hits = await fanOut.searchTagged(query);
  return { results: hits.map(({ source, hit }) => itemOf(source, hit)), partial: service.partial, ...fileCounts(service) };
}

function targetFolders(service: IndexService, folder: unknown): WorkspaceFolder[] {
  if (folder === undefined || folder === null) return service.folders.all();
  if (typeof folder !== 'string') throw new BadParamsError('folder must be the URI of a workspace folder.');
  const found = service.folders.find(folder);
  if (!found)
    throw new BadParamsError(
      `${folder} is not a workspace folder; give one of: ${
        service.folders
          .all()
          .map(f => f.uri)
          .join(', ') || '(none open)'
      }.`,
    );
  return [found];
}

/** Far longer than any glob a person types; bounds the cost of compiling it. */
export const MAX_GLOB_CHARS = 1000;

/**
 * gitignore-style, like the exclude globs: "src/**", "*.py" (any depth), "/app/*.ts" (from the folder's root).
 * A glob only filters the paths the index already holds (relative to their folder); it never reaches the disk.
 */
function globFilter(glob: unknown): ((meta: ChunkMeta) => boolean) | undefined {
  if (glob === undefined || glob === null || glob === '') return undefined;
  if (typeof glob !== 'string') throw new BadParamsError('glob must be a string such as "src/**".');
  if (glob.length > MAX_GLOB_CHARS) throw new BadParamsError(`The glob is ${glob.length} characters long; the limit is ${MAX_GLOB_CHARS}.`);
  // No indexed path has a '..' segment, so such a glob could only be a mistake (or a probe): say so.
  if (glob.split(/[\\/\r\n]/).some(segment => segment.trim() === '..')) {
    throw new BadParamsError(`glob is relative to a workspace folder and cannot leave it; got ${JSON.stringify(glob.slice(0, 100))}.`);
  }
  const rules = ignore().add(glob);
  return meta => rules.ignores(meta.path);
}

function itemOf(folder: WorkspaceFolder, hit: SearchHit): SearchResultItem {
  return {
    uri: uriOf(folder, hit.path),
    path: hit.path,
    // Whole lines: from the start of the first line to the start of the line after the last (LSP ends are exclusive).
    range: { start: { line: hit.startLine - 1, character: 0 }, end: { line: hit.endLine, character: 0 } },
    symbol: hit.symbol,
    kind: hit.kind,
    score: hit.score,
    snippet: hit.snippet,
    why: hit.why,
    ...(hit.alsoIn ? { alsoIn: hit.alsoIn.map(p => uriOf(folder, p)) } : {}),
  };
}

function fileCounts(service: IndexService): { filesIndexed: number; filesTotal: number } {
  const progress = service.progress;
  if (service.partial && progress) return { filesIndexed: progress.filesDone, filesTotal: progress.filesTotal };
  const indexed = service.folders.all().reduce((n, f) => n + (f.index?.fileCounts().indexed ?? 0), 0);
  return { filesIndexed: indexed, filesTotal: indexed };
}
