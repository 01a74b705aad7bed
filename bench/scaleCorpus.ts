// Deterministic subsets of the corpus, for the scaling figures (cost at 1x, 2x, 4x the work) and for a quick
// run on a small corpus. A subset holds every Nth file the scanner would index (sorted by path), copied with
// its relative path, plus the same hostile files as the whole corpus (app/: the 5 MB bundle, the 900 KB
// minified vendor.js, the 40 MB log), so each scale skips the same pathological files. Folders the scanner
// excludes are not copied: they cost a directory read in the whole corpus and nothing else.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineSettings } from '../common/settings';
import { MAX_LINE_CHARS } from '../server/src/engine/indexer/indexer';
import { readSourceFile } from '../server/src/engine/scanner/contentCheck';
import { walk } from '../server/src/engine/scanner/walker';
import { readOptions, walkOptions } from '../server/src/engine/scanner/scanOptions';

const HOSTILE = ['app/src/bundle.js', 'app/src/vendor.js', 'app/server.log'];

/** Relative paths of the files the scanner would index, sorted. */
export async function codeFiles(root: string, settings: EngineSettings): Promise<string[]> {
  const out: string[] = [];
  for await (const ev of walk(root, walkOptions(settings))) {
    if (ev.kind !== 'file') continue;
    const read = await readSourceFile(ev.file, readOptions(settings, MAX_LINE_CHARS));
    if (read.ok) out.push(ev.file.path);
  }
  return out.sort();
}

/** `<source>-every<N>` beside the source: every Nth code file plus the hostile files; built once, then reused. */
export async function subsetCorpus(source: string, every: number, settings: EngineSettings): Promise<string> {
  if (every <= 1) return source;
  const dest = `${source}-every${every}`;
  if (fs.existsSync(path.join(dest, '.complete'))) return dest;
  fs.rmSync(dest, { recursive: true, force: true });
  const files = (await codeFiles(source, settings)).filter((_, i) => i % every === 0);
  for (const rel of [...files, ...HOSTILE]) {
    const from = path.join(source, ...rel.split('/'));
    if (!fs.existsSync(from)) continue;
    const to = path.join(dest, ...rel.split('/'));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    // Copies, not links: the one-edit figure appends to a file of the source corpus and restores it.
    fs.copyFileSync(from, to);
  }
  fs.writeFileSync(path.join(dest, '.complete'), '');
  return dest;
}
