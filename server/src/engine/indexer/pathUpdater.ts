// Follows changes to single paths of an indexed folder (a saved file, a created, deleted or renamed file or
// folder) through the same FileIndexer a full run uses. Each path is judged as the full walk would judge it,
// so a file that is now ignored, excluded or minified leaves the index like a deleted one.

import { giveTurn } from '../turns';
import { scanPath } from '../scanner/pathScan';
import { walkOptions } from '../scanner/scanOptions';
import type { EmbedTotals, IndexDeps } from './fileIndexer';
import { FileIndexer } from './fileIndexer';
import type { FileLedger } from './fileLedger';
import type { IndexProgress } from './indexer';

export interface UpdateOutcome extends EmbedTotals {
  /** Paths looked at after merging (a changed .gitignore stands for its folder). */
  paths: number;
  cancelled: boolean;
}

/**
 * Re-judges and re-indexes `relPaths` ('/' separators, relative to `root`). Progress counts the files handled;
 * a created folder's files are known only as its walk finds them, so the total grows with them.
 */
export async function updatePaths(
  root: string,
  relPaths: readonly string[],
  deps: IndexDeps,
  ledger: FileLedger,
  signal?: AbortSignal,
  onProgress: (p: IndexProgress) => void = () => {},
): Promise<UpdateOutcome> {
  const settings = deps.settings();
  const files = new FileIndexer(deps, ledger, signal);
  const targets = outermost(relPaths.map(forGitignore));
  let filesDone = 0;
  let bytesDone = 0;
  const report = (targetsLeft: number) =>
    onProgress({
      phase: 'updating',
      filesDone,
      filesTotal: filesDone + targetsLeft,
      bytesDone,
      bytesTotal: bytesDone,
      chunks: deps.segments.count,
      chunksStored: files.storedSoFar,
    });
  // An `npm install` sends thousands of paths inside node_modules/: one verdict covers them all.
  const coveredFolders: string[] = [];
  // Targets are disjoint, so what was known before the update is what each one replaces.
  const known = [...new Set([...deps.segments.paths(), ...ledger.paths()])].sort();
  for (const [i, rel] of targets.entries()) {
    await giveTurn();
    if (signal?.aborted || files.stoppedBy) break;
    report(targets.length - i);
    const before = knownUnder(rel, known);
    if (coveredFolders.some(f => rel.startsWith(f))) {
      for (const p of before) files.drop(p);
      continue;
    }
    const verdict = await scanPath(root, rel, walkOptions(settings));
    const seen = new Set<string>();
    if (verdict.kind === 'covered') {
      coveredFolders.push(verdict.folder.path);
      if (!ledger.get(verdict.folder.path)) ledger.skip(verdict.folder);
    }
    if (verdict.kind === 'found') {
      for await (const ev of verdict.events) {
        if (ev.kind === 'file') {
          seen.add(ev.file.path);
          await giveTurn();
          await files.add(ev.file);
          filesDone++;
          bytesDone += ev.file.size;
          report(targets.length - i - 1);
        } else {
          seen.add(ev.report.path);
          files.drop(ev.report.path, ev.report);
        }
      }
    }
    for (const p of before) if (!seen.has(p)) files.drop(p);
  }
  const totals = await files.finish();
  // The embedder went away (a remote endpoint down): the paths not stored are said, not dropped in silence.
  if (files.stoppedBy) throw files.stoppedBy;
  return { ...totals, paths: targets.length, cancelled: signal?.aborted ?? false };
}

/** A changed .gitignore changes what its folder holds: the folder is judged again. */
function forGitignore(rel: string): string {
  return rel.endsWith('/.gitignore') ? rel.slice(0, -'/.gitignore'.length) : rel;
}

/** Drops paths inside another listed path: the outer one's walk covers them, and each file is indexed once. */
function outermost(paths: string[]): string[] {
  const all = new Set(paths);
  const insideAnother = (p: string) => {
    for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) if (all.has(p.slice(0, i))) return true;
    return false;
  };
  return [...all].filter(p => !insideAnother(p)).sort();
}

/** What the index knew at or below `rel` (files and skipped folders alike), found in the sorted `known`. */
function knownUnder(rel: string, known: readonly string[]): string[] {
  const out: string[] = [];
  const at = lowerBound(known, rel);
  if (known[at] === rel) out.push(rel);
  const prefix = `${rel}/`;
  for (let i = lowerBound(known, prefix); i < known.length && known[i].startsWith(prefix); i++) out.push(known[i]);
  return out;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
