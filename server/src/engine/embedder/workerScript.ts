// Where the bundled embedder worker lives. Every bundle sits in dist/ (tests in dist/test/<layer>/), so the
// worker is found beside the running bundle or a few folders up.

import * as fs from 'node:fs';
import * as path from 'node:path';

export function defaultWorkerScript(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'embedderWorker.js');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`embedderWorker.js was not found near ${__dirname}; run "npm run build" first.`);
}
