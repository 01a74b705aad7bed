// What the MCP server's tools do, apart from the protocol: each takes its arguments (their types and bounds
// already checked against toolSchemas.ts by the SDK), asks the IndexService through the same search path as
// the editor's Quick Pick, and returns the text an agent reads plus the same results as data. A bad argument
// is a ToolInputError: one line, sent back as the tool's error, never a crash of the server.

import * as path from 'node:path';
import { agentHit, agentText, DEFAULT_TOOL_K, type AgentHit } from '../../../common/agentText';
import type { SearchResultItem } from '../../../common/protocol';
import type { SearchMode } from '../../../common/settings';
import { withoutSource } from '../../../common/similarExclusion';
import { MAX_QUERY_CHARS, pathInside } from '../engine';
import type { IndexService } from '../workspace/indexService';
import { BadParamsError, UnavailableError } from '../workspace/serviceErrors';
import { searchWorkspace } from '../workspace/workspaceSearch';
import { uriOf, type WorkspaceFolder } from '../workspace/workspaceFolders';

/** A tool call the agent can correct: the message says what was wrong and what to send instead. */
export class ToolInputError extends Error {}

export interface SearchOutcome {
  results: AgentHit[];
  /** A full run is still under way: results come from what is indexed so far. */
  partial: boolean;
}

export interface SearchArgs {
  query: string;
  k?: number;
  mode?: SearchMode;
  path?: string;
  folder?: string;
}

export interface SimilarArgs {
  path: string;
  startLine: number;
  endLine?: number;
  k?: number;
  folder?: string;
}

/** The most lines find_similar takes as its query: a chunk's worth (the model embeds one chunk's tokens). */
const MAX_SIMILAR_LINES = 200;

export async function searchCode(service: IndexService, args: SearchArgs): Promise<SearchOutcome> {
  const folder = args.folder === undefined ? undefined : folderNamed(service, args.folder);
  const results = await run(service, {
    query: args.query,
    k: args.k ?? DEFAULT_TOOL_K,
    mode: args.mode,
    glob: args.path,
    folder: folder?.uri,
  });
  return { results: results.items.map(r => hitOf(service, r)), partial: results.partial };
}

/** Code like the given lines of a file, the lines themselves left out. */
export async function findSimilar(service: IndexService, args: SimilarArgs): Promise<SearchOutcome> {
  const folder = folderOfPath(service, args.folder, args.path);
  const endLine = args.endLine ?? args.startLine;
  if (!Number.isInteger(args.startLine) || args.startLine < 1 || !Number.isInteger(endLine) || endLine < args.startLine) {
    throw new ToolInputError(
      `startLine and endLine must be line numbers from 1 with endLine >= startLine; got ${args.startLine}-${endLine}.`,
    );
  }
  const relPath = relativePath(folder, args.path);
  const text = await folder.index?.fileText(relPath);
  if (text === undefined)
    throw new ToolInputError(`${args.path} cannot be read in ${folder.name}; give the path of a file in the folder, relative to it.`);
  const lines = text.split('\n');
  if (args.startLine > lines.length)
    throw new ToolInputError(`${args.path} has ${lines.length} lines; startLine ${args.startLine} is past its end.`);
  const query = lines
    .slice(args.startLine - 1, Math.min(endLine, args.startLine - 1 + MAX_SIMILAR_LINES))
    .join('\n')
    .trim();
  if (query === '') throw new ToolInputError(`Lines ${args.startLine}-${endLine} of ${args.path} are blank; give lines that hold code.`);
  const k = args.k ?? DEFAULT_TOOL_K;
  // A few more than asked: the chunks of the source itself come first, and are left out below.
  const results = await run(service, { query: query.slice(0, MAX_QUERY_CHARS), k: k + 3, mode: 'semantic', folder: folder.uri });
  const source = { uri: uriOf(folder, relPath), startLine: args.startLine - 1, endLine: endLine - 1 };
  const others = withoutSource(results.items, source).slice(0, k);
  return { results: others.map(r => hitOf(service, r)), partial: results.partial };
}

export interface StatusOutcome {
  state: string;
  message?: string;
  model: { id: string; dims: number; runsHere: boolean };
  folders: {
    name: string;
    path: string;
    files: { indexed: number; skipped: Record<string, number>; failed: number };
    chunks: number;
    readOnlyBecause?: string;
    storeError?: string;
  }[];
  progress?: string;
}

export function indexStatus(service: IndexService): StatusOutcome {
  const h = service.health();
  return {
    state: h.state,
    ...(h.message ? { message: h.message } : {}),
    model: { id: h.model.id, dims: h.model.dims, runsHere: h.model.inProcess },
    folders: h.folders.map(f => ({
      name: f.name,
      path: service.folders.find(f.uri)?.root ?? f.uri,
      files: { indexed: f.files.indexed, skipped: f.files.skipped, failed: f.files.failed },
      chunks: f.chunks,
      ...(f.lockedBy
        ? {
            readOnlyBecause: `another semsearch process (pid ${f.lockedBy.pid}, since ${f.lockedBy.since}) indexes this folder; its saved index is searched`,
          }
        : {}),
      ...(f.storeError ? { storeError: f.storeError } : {}),
    })),
    ...(h.progress ? { progress: `${h.progress.phase}: ${h.progress.filesDone} of ${h.progress.filesTotal} files` } : {}),
  };
}

export function resultsText(outcome: SearchOutcome): string {
  return agentText(outcome.results, outcome.partial);
}

async function run(service: IndexService, params: { query: string; k: number; mode?: SearchMode; glob?: string; folder?: string }) {
  try {
    const r = await searchWorkspace(service, params);
    return { items: r.results, partial: r.partial };
  } catch (e) {
    if (e instanceof BadParamsError || e instanceof UnavailableError) throw new ToolInputError(e.message);
    throw e;
  }
}

function hitOf(service: IndexService, r: SearchResultItem): AgentHit {
  const folders = service.folders.all();
  return agentHit(r, folders.length > 1 ? folders.find(f => r.uri.startsWith(f.uri.replace(/\/?$/, '/')))?.name : undefined);
}

/** A served folder by its name or path; with one folder served, that one. */
function folderNamed(service: IndexService, name: string): WorkspaceFolder {
  const all = service.folders.all();
  const wanted = path.resolve(name);
  const found = all.find(f => f.name === name || f.root === wanted || f.realRoot === wanted);
  if (!found) throw new ToolInputError(`${name} is not a folder this server serves; give one of: ${all.map(f => f.name).join(', ')}.`);
  return found;
}

/** The folder `filePath` is in: the one named, else the one holding an absolute path, else the only one. */
function folderOfPath(service: IndexService, folder: string | undefined, filePath: string): WorkspaceFolder {
  if (folder !== undefined) return folderNamed(service, folder);
  const all = service.folders.all();
  if (path.isAbsolute(filePath)) {
    const holder = all.find(f => pathInside(f.root, filePath) !== undefined || pathInside(f.realRoot, filePath) !== undefined);
    if (holder) return holder;
    throw new ToolInputError(`${filePath} is not inside a folder this server serves (${all.map(f => f.root).join(', ')}).`);
  }
  if (all.length === 1) return all[0];
  throw new ToolInputError(
    `This server serves ${all.length} folders; say which one with "folder" (one of: ${all.map(f => f.name).join(', ')}).`,
  );
}

/** The path relative to the folder ('/' separators); an absolute path is made relative, one outside is refused. */
function relativePath(folder: WorkspaceFolder, filePath: string): string {
  const rel = path.isAbsolute(filePath)
    ? (pathInside(folder.root, filePath) ?? pathInside(folder.realRoot, filePath))
    : pathInside(folder.root, path.join(folder.root, filePath));
  if (rel === undefined)
    throw new ToolInputError(`${filePath} is not a file inside ${folder.name}; give a path relative to the folder, such as "src/main.ts".`);
  return rel;
}
