// Where a bundled thread or process script lives (the embedder worker, the graph thread). Every bundle sits
// in dist/ (tests in dist/test/<layer>/), so the script is found beside the running bundle or a few folders up.

import * as fs from 'node:fs';
import * as path from 'node:path';

export function bundledScript(file: string): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`${file} was not found near ${__dirname}; run "npm run build" first.`);
}
