// Generated Python modules of distinct small functions. Each function is its own chunk and no two chunk texts
// are alike, so the embedding cache spares none: fault and recovery tests use them for runs of a known size.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStore } from '../../server/src/engine/store/storeFolder';

/** Module `f`: `functions` functions of nine lines each. */
export function pythonModule(f: number, functions = 8): string {
  return Array.from({ length: functions }, (_, i) =>
    [
      `def measure_${f}_${i}(items, limit=${f * 100 + i}):`,
      `    """Counts the items of module ${f} over ${i} and stops at the limit."""`,
      `    total = 0`,
      `    for item in items:`,
      `        if total > limit:`,
      `            break`,
      `        total += len(str(item)) * ${i + 1}`,
      `    return total`,
      '',
    ].join('\n'),
  ).join('\n');
}

/** Writes modules `from` to `to` - 1 as `<root>/<sub>module_<f>.py`. */
export function writePythonModules(root: string, from: number, to: number, functions = 8, sub = ''): void {
  fs.mkdirSync(path.join(root, sub), { recursive: true });
  for (let f = from; f < to; f++) fs.writeFileSync(path.join(root, sub, `module_${f}.py`), pythonModule(f, functions));
}

/** Every chunk a store folder holds, as "path:start-end", sorted: two stores with the same list hold the same chunks. */
export function chunkRanges(storeDir: string): string[] {
  const store = readStore(storeDir);
  try {
    return store
      .chunks()
      .map(m => `${m.path}:${m.startLine}-${m.endLine}`)
      .sort();
  } finally {
    store.close();
  }
}
