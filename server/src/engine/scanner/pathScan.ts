// One path of an indexed folder judged exactly as a full walk would judge it, without walking the folder:
// every ancestor is classified with the .gitignore files above it, so a changed file inside node_modules/,
// a gitignored folder or a symlinked folder stays out, and a changed folder is walked with the rules it
// inherits. Used to follow single changes (saved, created, deleted, renamed files).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FileReport } from '../types';
import { classify, type ClassifyContext } from './classify';
import { GitignoreRules, userExcludes } from './ignoreRules';
import { inspect } from './inspect';
import { walkBelow, type WalkEvent, type WalkOptions } from './walker';

export type PathVerdict =
  /** Nothing is there any more (deleted or renamed away). */
  | { kind: 'gone' }
  /** Inside a folder the walk never enters; `folder` is that folder's own skip report. */
  | { kind: 'covered'; folder: FileReport }
  /** What the walk would yield for the path: one event for a file, the subtree's events for a folder. */
  | { kind: 'found'; events: AsyncIterable<WalkEvent> };

const isGone = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException | undefined)?.code ?? '');

async function withGitignore(root: string, relDir: string, rules: GitignoreRules): Promise<GitignoreRules> {
  try {
    return rules.withFile(relDir, await fsp.readFile(path.join(root, ...relDir.split('/'), '.gitignore'), 'utf8'));
  } catch {
    return rules; // no .gitignore here (or an unreadable one, which the full walk reports)
  }
}

async function realpathOrGone(abs: string): Promise<string | undefined> {
  try {
    return await fsp.realpath(abs);
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
}

async function* once(event: WalkEvent): AsyncIterable<WalkEvent> {
  yield event;
}

/** Judges `relPath` ('/' separators, no trailing '/', inside `root`). */
export async function scanPath(root: string, relPath: string, opts: WalkOptions): Promise<PathVerdict> {
  const abs = path.resolve(root);
  const names = relPath.split('/');
  let rules = GitignoreRules.none;
  const userExcluded = userExcludes(opts.excludeGlobs);
  const realRoot = await realpathOrGone(abs);
  if (realRoot === undefined) return { kind: 'gone' };
  for (let i = 0; i < names.length; i++) {
    const relDir = names
      .slice(0, i)
      .map(n => `${n}/`)
      .join('');
    rules = await withGitignore(abs, relDir, rules);
    const ctx: ClassifyContext = {
      gitignore: rules,
      userExcluded,
      maxFileBytes: opts.maxFileBytes,
      indexDataFiles: opts.indexDataFiles,
      realRoot,
    };
    const entry = await inspect(path.join(abs, ...names.slice(0, i + 1)));
    if (entry.kind === 'error' && isGone(entry.error)) return { kind: 'gone' };
    const verdict = classify(ctx, relDir, names[i], entry);
    const last = i === names.length - 1;
    if (!last) {
      if (verdict.kind === 'descend') continue;
      if (verdict.kind === 'skip') return { kind: 'covered', folder: verdict.report };
      return { kind: 'gone' }; // an ancestor that is a file: the path cannot exist
    }
    if (verdict.kind === 'descend') return { kind: 'found', events: walkBelow(abs, verdict.relPath, rules, opts) };
    if (verdict.kind === 'file')
      return { kind: 'found', events: once({ kind: 'file', file: { ...verdict.file, absPath: path.join(abs, ...names) } }) };
    return { kind: 'found', events: once(verdict) };
  }
  return { kind: 'gone' };
}
