// npm run test:e2e:electron: the same suite through @vscode/test-electron, for machines that can download
// VS Code's desktop build (this project's own machines cannot; they use npm run test:e2e).
// VSCODE_VERSION picks the build (default 'stable'); on a display-less Linux run it under xvfb-run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeTempDir, modelEnv, PROJECT_ROOT } from './codeServer';
import { createFixtureWorkspace } from './fixtureWorkspace';

async function main(): Promise<number> {
  const dir = makeTempDir('semsearch-e2e-electron-');
  const workspace = createFixtureWorkspace(path.join(dir, 'workspace'), path.join(PROJECT_ROOT, 'test', 'fixtures', 'chunker'));
  const extensionTestsEnv: Record<string, string> = { ...modelEnv(), SEMSEARCH_E2E: '1' };
  if (process.env.SEMSEARCH_E2E_GREP) extensionTestsEnv.SEMSEARCH_E2E_GREP = process.env.SEMSEARCH_E2E_GREP;
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: PROJECT_ROOT,
      extensionTestsPath: path.join(PROJECT_ROOT, 'dist', 'test', 'e2e', 'index.js'),
      extensionTestsEnv,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        path.join(dir, 'ud'),
        '--extensions-dir',
        path.join(dir, 'ext'),
      ],
    });
    fs.rmSync(dir, { recursive: true, force: true });
    return 0;
  } catch (error) {
    console.error(`e2e (electron): ${error instanceof Error ? error.message : String(error)}; kept ${dir}`);
    return 1;
  }
}

void main().then(code => process.exit(code));
