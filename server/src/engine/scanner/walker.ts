// Depth-first walk of an indexed folder: every path seen gets exactly one event, a candidate file or a skip.
// Entries are visited in code-unit order of their names, so two walks of the same tree agree line for line.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { CandidateFile, FileReport } from '../types';
import { classify, type ClassifyContext } from './classify';
import { GitignoreRules, userExcludes } from './ignoreRules';
import { inspectAll, type Entry } from './inspect';
import { errorToSkip, skipReport } from './reports';

export interface WalkOptions {
  excludeGlobs: readonly string[];
  maxFileBytes: number;
  /** The indexDataFiles setting: index lock files, text images and data rather than skip them (dataFiles.ts). */
  indexDataFiles: boolean;
}

export type WalkEvent = { kind: 'file'; file: CandidateFile } | { kind: 'skip'; report: FileReport };

interface WalkState {
  root: string;
  realRoot: string;
  userExcluded: (relPath: string) => boolean;
  maxFileBytes: number;
  indexDataFiles: boolean;
}

async function walkState(abs: string, opts: WalkOptions): Promise<WalkState> {
  const { maxFileBytes, indexDataFiles } = opts;
  return { root: abs, realRoot: await fsp.realpath(abs), userExcluded: userExcludes(opts.excludeGlobs), maxFileBytes, indexDataFiles };
}

const absOf = (state: WalkState, relPath: string) => path.join(state.root, ...relPath.split('/'));

/** Adds the folder's own .gitignore, if it has a readable one, to the rules inherited from above. */
async function withGitignore(state: WalkState, relDir: string, names: string[], entries: Entry[], rules: GitignoreRules) {
  const i = names.indexOf('.gitignore');
  if (i < 0 || entries[i].kind !== 'file') return rules;
  try {
    return rules.withFile(relDir, await fsp.readFile(absOf(state, relDir + '.gitignore'), 'utf8'));
  } catch {
    return rules; // the .gitignore itself is a candidate file; its read error is reported when it is read
  }
}

async function* walkFolder(state: WalkState, relDir: string, inherited: GitignoreRules): AsyncGenerator<WalkEvent> {
  let names: string[];
  try {
    names = (await fsp.readdir(absOf(state, relDir))).sort();
  } catch (err) {
    if (relDir === '') throw err;
    const { status, reason, detail } = errorToSkip(err, 'folder');
    yield { kind: 'skip', report: skipReport(relDir, reason, detail, status) };
    return;
  }
  const entries = await inspectAll(names.map(name => absOf(state, relDir + name)));
  const ctx: ClassifyContext = {
    gitignore: await withGitignore(state, relDir, names, entries, inherited),
    userExcluded: state.userExcluded,
    maxFileBytes: state.maxFileBytes,
    indexDataFiles: state.indexDataFiles,
    realRoot: state.realRoot,
  };
  for (let i = 0; i < names.length; i++) {
    const verdict = classify(ctx, relDir, names[i], entries[i]);
    if (verdict.kind === 'descend') yield* walkFolder(state, verdict.relPath, ctx.gitignore);
    else if (verdict.kind === 'file') yield { kind: 'file', file: { ...verdict.file, absPath: absOf(state, verdict.file.path) } };
    else yield verdict;
  }
}

/**
 * Walks `root` and yields one event per path: candidate files (accepted by name and size; their content is
 * checked later by readSourceFile) and skips with a reason. Throws only when `root` itself is not a readable folder.
 */
export async function* walk(root: string, opts: WalkOptions): AsyncGenerator<WalkEvent> {
  const abs = path.resolve(root);
  if (!(await fsp.stat(abs)).isDirectory()) throw new Error(`Not a folder: ${abs}`);
  yield* walkFolder(await walkState(abs, opts), '', GitignoreRules.none);
}

/**
 * Walks the subfolder `relDir` ('a/b/') of `root` as the full walk would, given the .gitignore rules in
 * effect above it (see pathScan.ts). Yields nothing for `relDir` itself.
 */
export async function* walkBelow(root: string, relDir: string, inherited: GitignoreRules, opts: WalkOptions): AsyncGenerator<WalkEvent> {
  yield* walkFolder(await walkState(path.resolve(root), opts), relDir, inherited);
}
