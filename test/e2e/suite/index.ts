// The e2e suite's entry, bundled to dist/test/e2e/index.js. A VS Code extension host (code-server here,
// @vscode/test-electron's desktop build elsewhere) requires this file and awaits run(): it resolves when
// every test passed and rejects otherwise, which becomes the run's exit code.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false, // the log goes through the workbench's console, not a terminal
    timeout: 120_000,
    // The tests run in order on one workspace (indexing first); stop at the first failure of a step others need.
    bail: false,
  });
  if (process.env.SEMSEARCH_E2E_GREP) mocha.grep(new RegExp(process.env.SEMSEARCH_E2E_GREP));
  // esbuild bundles each test/e2e/suite/*.test.ts to dist/test/e2e/suite/*.test.js, beside this file.
  const suiteDir = path.join(__dirname, 'suite');
  for (const file of fs
    .readdirSync(suiteDir)
    .filter(f => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(suiteDir, file));
  return new Promise((resolve, reject) => {
    try {
      mocha.run(failures => (failures > 0 ? reject(new Error(`${failures} e2e test(s) failed`)) : resolve()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
