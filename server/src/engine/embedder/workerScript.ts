// Where the bundled embedder worker lives (bundledScript.ts says how it is found).

import { bundledScript } from '../bundledScript';

export function defaultWorkerScript(): string {
  return bundledScript('embedderWorker.js');
}
