// The one test of "inside a folder": the walk (file links), the read (what was opened), the server (a URI a
// client sends) and the CLI (a store folder inside the indexed one) all ask it.
import * as path from 'node:path';

/**
 * The '/'-separated path of `target` below `root`, or undefined when it is the root itself or outside it.
 * path.relative is exact where a prefix test is not ('/a/b' vs '/a/bc').
 */
export function pathInside(root: string, target: string): string | undefined {
  const rel = path.relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
