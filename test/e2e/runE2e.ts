// npm run test:e2e: the e2e suite (dist/test/e2e/index.js) inside code-server's extension host, on a fresh
// fixture workspace, with the stand-in model. Exit code = the tests' exit code.
//   SEMSEARCH_E2E_GREP=<regexp>  run only matching tests     SEMSEARCH_E2E_KEEP=1  keep the temp dir
//   SEMSEARCH_E2E_TIMEOUT=<s>    whole-run deadline (default 600)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkTools, freePort, makeTempDir, modelEnv, PROJECT_ROOT } from './codeServer';
import { createFixtureWorkspace } from './fixtureWorkspace';
import { runVscodeTests } from './runVscodeTests';

async function main(): Promise<number> {
  for (const f of ['dist/extension.js', 'dist/server.js', 'dist/embedderWorker.js', 'dist/graphThread.js', 'dist/test/e2e/index.js']) {
    if (!fs.existsSync(path.join(PROJECT_ROOT, f))) throw new Error(`${f} is missing: run npm run build first.`);
  }
  checkTools();
  const dir = makeTempDir('semsearch-e2e-');
  const workspace = createFixtureWorkspace(path.join(dir, 'workspace'), path.join(PROJECT_ROOT, 'test', 'fixtures', 'chunker'));
  // Checkpoints every 16 chunks, so the server-restart test can kill a run that has saved some progress.
  // Stores go to the user's cache (storeLocation.ts): the run's own, never the real one.
  const extensionEnv: Record<string, string> = {
    ...modelEnv(),
    SEMSEARCH_E2E: '1',
    SEMSEARCH_CHECKPOINT_CHUNKS: '16',
    SEMSEARCH_CACHE_DIR: path.join(dir, 'cache'),
  };
  // The model-download test serves the files itself, on a port chosen here so the server's env can name it.
  const hubPort = await freePort();
  Object.assign(extensionEnv, {
    SEMSEARCH_E2E_HUB_PORT: String(hubPort),
    SEMSEARCH_MODEL_BASE_URL: `http://127.0.0.1:${hubPort}/Xenova/all-MiniLM-L6-v2/resolve/main/`,
  });
  if (process.env.SEMSEARCH_E2E_GREP) extensionEnv.SEMSEARCH_E2E_GREP = process.env.SEMSEARCH_E2E_GREP;
  console.log(`e2e: code-server + headless Chromium, workspace ${workspace}`);
  const started = Date.now();
  const code = await runVscodeTests({
    extensionDevelopmentPath: PROJECT_ROOT,
    extensionTestsPath: path.join(PROJECT_ROOT, 'dist', 'test', 'e2e', 'index.js'),
    workspace,
    dir,
    extensionEnv,
    timeoutSeconds: Number(process.env.SEMSEARCH_E2E_TIMEOUT || 600),
    screenshot: path.join(dir, 'workbench.png'),
  });
  console.log(`e2e: exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (code === 0 && !process.env.SEMSEARCH_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  else console.log(`e2e: kept ${dir} (logs, workbench.png)`);
  return code;
}

main().then(
  code => process.exit(code),
  error => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
