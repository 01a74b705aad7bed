// Temp-dir trees for the scanner tests: built at test time so no binary or huge file is committed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { walk, type WalkEvent, type WalkOptions } from '../../server/src/engine/scanner/walker';

const made: string[] = [];

/** Creates a temp folder holding `files` (relative path -> content) and returns its path. */
export function makeTree(files: Record<string, string | Buffer> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-scanner-'));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) writeFile(root, rel, content);
  return root;
}

export function writeFile(root: string, rel: string, content: string | Buffer): string {
  const abs = path.join(root, ...rel.split('/'));
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return abs;
}

/** Removes every tree made so far; restores permissions first so chmod-000 folders can be deleted. */
export function removeTrees(): void {
  for (const root of made.splice(0)) {
    fs.chmodSync(root, 0o755);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export async function collect(root: string, opts: Partial<WalkOptions> = {}): Promise<WalkEvent[]> {
  const events: WalkEvent[] = [];
  for await (const e of walk(root, { excludeGlobs: [], maxFileBytes: 1024 * 1024, indexDataFiles: false, ...opts })) events.push(e);
  return events;
}

export function pathOf(e: WalkEvent): string {
  return e.kind === 'file' ? e.file.path : e.report.path;
}

/** path -> 'file' or the skip reason; asserts along the way that no path got two outcomes. */
export function outcomes(events: WalkEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) {
    const p = pathOf(e);
    if (out.has(p)) throw new Error(`two outcomes for ${p}`);
    out.set(p, e.kind === 'file' ? 'file' : e.report.reason);
  }
  return out;
}
