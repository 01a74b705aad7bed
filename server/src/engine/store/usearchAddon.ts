// usearch is a native addon: its npm package carries prebuilt binaries for linux x64/arm64, macOS (one
// universal build) and win32-x64, and each per-platform VSIX ships its own (scripts/packageTargets.ts). It is
// loaded when the first graph is made, not when the engine loads, so that a platform without a build gets one
// line saying so instead of a process that dies on start.

import type * as Usearch from 'usearch';

let addon: typeof Usearch | undefined;

export function usearch(): typeof Usearch {
  if (!addon) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      addon = require('usearch') as typeof Usearch;
    } catch (e) {
      throw new Error(
        `semsearch's vector index (usearch) has no build for ${process.platform}-${process.arch} (${(e as Error).message.split('\n')[0]}); ` +
          'semsearch runs on linux-x64, linux-arm64, darwin-arm64, darwin-x64 and win32-x64: install the package made for yours.',
      );
    }
  }
  return addon;
}
