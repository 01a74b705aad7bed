// The one test of "inside the indexed folder", shared by the walk (file links) and the read (what was opened).
import * as path from 'node:path';

/** True when `target` (a real path) lies below `realRoot`; path.relative is exact where startsWith is not ('/a/b' vs '/a/bc'). */
export function isInside(realRoot: string, target: string): boolean {
  const rel = path.relative(realRoot, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
