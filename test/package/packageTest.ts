// npm run test:package: the packaged extension, used as a person would. Packages the .vsix (npm run package;
// SEMSEARCH_VSIX=<file> uses a given one), installs it with `code-server --install-extension`, checks what
// the package holds, opens the fixture workspace in code-server in headless Chromium, waits for the status
// bar to say the index is built, then: F1, "Semsearch: Search Workspace", Enter, types a query, waits
// until the Quick Pick lists the expected file first, saves a screenshot, and opens the result with Enter.
// Zero configuration: no model setting, no SEMSEARCH_* variable, and a HOME with no models folder, so what
// answers is the model shipped inside the package, as for a user who installed it offline.
// Then the health view and the settings as a user sees them (healthScreens.ts): indexing, idle with the files
// as folders, a model that is not installed, the settings page. Before the editor starts, the installed
// package's own CLI indexes with a transformer model (the MiniLM-shaped stand-in from ../shared), so its
// tokenizer (@xenova/transformers, sharp not in the package) and its ONNX workers are shown to run.
// Exit code 0 on success. The screenshots go to test-results/ (their paths are printed).

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MODEL_ID } from '../../common/settings';
import {
  checkTools,
  delay,
  installExtension,
  launchBrowser,
  makeTempDir,
  PROJECT_ROOT,
  startCodeServer,
  type BrowserContext,
  type CodeServer,
  type Page,
} from '../e2e/codeServer';
import { createFixtureWorkspace } from '../e2e/fixtureWorkspace';
import { errorScreen, GENERATED_FILES, idleScreen, indexingScreen, settingsScreen } from './healthScreens';
import { printLogs } from '../e2e/runVscodeTests';
import { standinModelsDir } from '../helpers/standin';

const COMMAND_TITLE = 'Semsearch: Search Workspace';
/** Words a person would type, not the code's: ringbuf.c says "ring buffer", rb_push, head and tail. */
const QUERY = 'circular queue of bytes';
const EXPECTED_FILE = 'src/ringbuf.c';
const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');

/** What must be inside, and what must not, relative to the installed extension folder. */
const REQUIRED = [
  'package.json',
  'readme.md',
  'LICENSE.txt',
  'media/semsearch.svg', // vsce's names for README.md / LICENSE
  'dist/extension.js',
  'dist/server.js',
  'dist/embedderWorker.js',
  'dist/graphThread.js',
  'dist/cli.js',
  'node_modules/usearch/prebuilds/linux-x64/usearch.node',
  'node_modules/node-gyp-build/index.js',
  'node_modules/onnxruntime-node/bin/napi-v3/linux/x64/onnxruntime_binding.node',
  'node_modules/onnxruntime-common/package.json',
  'node_modules/@xenova/transformers/src/transformers.js',
  'node_modules/web-tree-sitter/web-tree-sitter.wasm',
  'node_modules/@repomix/tree-sitter-wasms/out/tree-sitter-python.wasm',
  'node_modules/tree-sitter-scala/tree-sitter-scala.wasm',
  `models/${DEFAULT_MODEL_ID}/model.json`,
  `models/${DEFAULT_MODEL_ID}/vectors.i8`,
  `models/${DEFAULT_MODEL_ID}/scales.f32`,
  `models/${DEFAULT_MODEL_ID}/vocab.txt`,
];
const FORBIDDEN = [
  'client',
  'server',
  'common',
  'test',
  'bench',
  'tsconfig.json',
  'esbuild.mjs',
  'dist/test',
  'dist/bench.js',
  'node_modules/vscode-languageclient',
  'node_modules/typescript',
  'node_modules/esbuild',
  'node_modules/mocha',
  'node_modules/@xenova/transformers/dist',
  'node_modules/onnxruntime-web/dist/ort-wasm.wasm',
  'node_modules/hnswlib-node',
  'node_modules/minisearch',
  'node_modules/usearch/prebuilds/win32-x64',
  'node_modules/usearch/prebuilds/linux-arm64',
  // Text never uses @xenova/transformers' image code: the tokenizer is loaded without it (model/tokenizer.ts).
  'node_modules/sharp',
  'node_modules/@img',
  'node_modules/detect-libc',
  'node_modules/semver',
  // The grammar packages' native bindings: the chunker loads only their .wasm.
  'node_modules/tree-sitter-bash/prebuilds',
  'node_modules/tree-sitter-scala/src',
  'node_modules/npm-check-updates',
];

function step(message: string): void {
  console.log(`package test: ${message}`);
}

function findVsix(): string {
  if (process.env.SEMSEARCH_VSIX) return path.resolve(process.env.SEMSEARCH_VSIX);
  step('npm run package');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const candidates = fs
    .readdirSync(PROJECT_ROOT)
    .filter(f => f.startsWith(`${pkg.name}-`) && f.endsWith(`${pkg.version}.vsix`))
    .map(f => path.join(PROJECT_ROOT, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!candidates.length) throw new Error(`npm run package made no ${pkg.name}-*${pkg.version}.vsix in ${PROJECT_ROOT}`);
  return candidates[0];
}

function checkContents(extensionsDir: string): string {
  const installed = fs.readdirSync(extensionsDir).filter(d => d.startsWith('semsearch.semsearch-'));
  if (installed.length !== 1)
    throw new Error(`expected one semsearch.semsearch-* in ${extensionsDir}, found ${JSON.stringify(fs.readdirSync(extensionsDir))}`);
  const root = path.join(extensionsDir, installed[0]);
  const missing = REQUIRED.filter(f => !fs.existsSync(path.join(root, f)));
  const unwanted = FORBIDDEN.filter(f => fs.existsSync(path.join(root, f)));
  if (missing.length || unwanted.length)
    throw new Error(`the package is wrong: missing ${JSON.stringify(missing)}, should not hold ${JSON.stringify(unwanted)}`);
  return root;
}

/** The installed package's CLI indexing a small folder with the stand-in ONNX model: what it embedded, and where. */
function onnxIndexRun(root: string, dir: string): string {
  const folder = path.join(dir, 'onnx-folder');
  fs.mkdirSync(folder, { recursive: true });
  for (const name of ['ringbuf.c', 'inventory.py'])
    fs.copyFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'chunker', name), path.join(folder, name));
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'dist', 'cli.js'),
      'index',
      folder,
      '--store',
      path.join(dir, 'onnx-store'),
      '--model',
      'minilm-standin',
      '--models-dir',
      standinModelsDir(),
      '--json',
    ],
    { encoding: 'utf8', env: { ...process.env, SEMSEARCH_CACHE_DIR: path.join(dir, 'onnx-cache') } },
  );
  if (r.status !== 0)
    throw new Error(
      `the packaged CLI could not index with the ONNX stand-in (exit ${r.status}): ${(r.stderr || '').trim().split('\n').pop()}`,
    );
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { chunks: number; embedded: number; workers: unknown[] };
  if (!(summary.embedded > 0 && summary.workers.length > 0))
    throw new Error(`the packaged CLI embedded nothing in workers: ${r.stdout.slice(-300)}`);
  return `${summary.embedded} chunks embedded by ${summary.workers.length} ONNX workers`;
}

async function waitForText(
  page: Page,
  selector: string,
  what: string,
  test: (text: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (
      await page
        .locator(selector)
        .allInnerTexts()
        .catch(() => [] as string[])
    ).join(' | ');
    if (test(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s (last seen: ${JSON.stringify(last.slice(0, 500))})`);
    await delay(250);
  }
}

async function main(): Promise<number> {
  checkTools();
  const vsix = findVsix();
  const size = fs.statSync(vsix).size;
  step(`${path.relative(PROJECT_ROOT, vsix)} (${(size / 1048576).toFixed(1)} MB)`);
  const dir = makeTempDir('semsearch-package-');
  const extensionsDir = path.join(dir, 'ext');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const screenshot = path.join(RESULTS_DIR, 'package-quick-pick.png');
  let server: CodeServer | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let passed = false;
  const shots = { indexing: 'health-indexing.png', idle: 'health-idle.png', error: 'health-error.png', settings: 'settings.png' };
  const shot = (name: string) => path.join(RESULTS_DIR, name);
  for (const old of ['package-quick-pick.png', 'package-failure.png', 'package-failure.html', ...Object.values(shots)])
    fs.rmSync(path.join(RESULTS_DIR, old), { force: true });
  try {
    step(`code-server --install-extension: ${(await installExtension(dir, extensionsDir, vsix)).split('\n').pop()}`);
    const root = checkContents(extensionsDir);
    step(`installed into ${root}; contents checked`);
    step(`the packaged CLI with a transformer model, sharp absent: ${onnxIndexRun(root, dir)}`);

    const workspace = createFixtureWorkspace(path.join(dir, 'workspace'), path.join(PROJECT_ROOT, 'test', 'fixtures', 'chunker'));
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    // As a user who just installed it: no model setting, nothing in the environment, no models folder.
    server = await startCodeServer({ dir, workspace, extensionsDir, env: { HOME: home, SEMSEARCH_MODEL: '', SEMSEARCH_MODEL_DIR: '' } });
    const browser = await launchBrowser(dir);
    context = browser.context;
    page = browser.page;
    await page.goto(server.workbenchUrl(), { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    step('workbench loaded; waiting for the status bar to report the index');
    const status = await waitForText(
      page,
      '.statusbar-item',
      'the status bar to say the index is built',
      t => /Indexed [\d,]+ files/.test(t) || /Index error/.test(t),
      240_000,
    );
    if (/Index error/.test(status)) throw new Error(`the extension reports an index error: ${status}`);
    step(`status bar: ${/Indexed [\d,]+ files/.exec(status)?.[0]}`);

    // The command palette, as a person uses it.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type(COMMAND_TITLE, { delay: 10 });
    await waitForText(
      page,
      '.quick-input-widget .monaco-list-row',
      `the palette to list "${COMMAND_TITLE}"`,
      t => t.includes('Search Workspace'),
      15_000,
    );
    await page.keyboard.press('Enter');
    await waitForText(
      page,
      '.quick-input-widget .quick-input-title, .quick-input-widget input',
      'the search Quick Pick to open',
      t => t.includes('Semsearch'),
      15_000,
    ).catch(() => undefined); // the title is a nicety; the typed query below is what matters
    await page.keyboard.type(QUERY, { delay: 5 });
    const expected = path.basename(EXPECTED_FILE);
    const firstRow = '.quick-input-widget .monaco-list-row[data-index="0"]';
    const first = await waitForText(
      page,
      firstRow,
      `the Quick Pick to list ${EXPECTED_FILE} first for "${QUERY}"`,
      t => t.includes(EXPECTED_FILE),
      30_000,
    );
    await page.screenshot({ path: screenshot });
    step(`first result: ${first.replace(/\s+/g, ' ').slice(0, 160)}`);
    step(`screenshot: ${screenshot}`);

    // Choosing it opens the file.
    await page.keyboard.press('Enter');
    await waitForText(
      page,
      '.tabs-container .tab.active',
      `${expected} to open in the editor`,
      t => t.replace(/\s+/g, '').includes(expected),
      15_000,
    );
    step(`${expected} opened`);

    // The search above ran on the fixture alone; now 1,000 more files arrive, with work to be seen.
    step(
      `${GENERATED_FILES} files written into the workspace: one progress item: ${await indexingScreen(page, workspace, shot(shots.indexing))}; screenshot ${shot(shots.indexing)}`,
    );
    step(`the indexed files open as folders: ${await idleScreen(page, shot(shots.idle))}; screenshot ${shot(shots.idle)}`);

    step(`settings: ${await settingsScreen(page, shot(shots.settings))}; screenshot ${shot(shots.settings)}`);
    step(`a model that is not installed: ${await errorScreen(page, shot(shots.error))}; screenshot ${shot(shots.error)}`);
    passed = true;
    return 0;
  } catch (error) {
    console.error(`package test FAILED: ${error instanceof Error ? error.message : String(error)}`);
    if (page) {
      const failShot = path.join(RESULTS_DIR, 'package-failure.png');
      await page.screenshot({ path: failShot }).then(
        () => console.error(`screenshot: ${failShot}`),
        () => undefined,
      );
      // The DOM too: a selector that found nothing is fixed by reading what was there.
      const failHtml = path.join(RESULTS_DIR, 'package-failure.html');
      await page.content().then(
        html => {
          fs.writeFileSync(failHtml, html);
          console.error(`page: ${failHtml}`);
        },
        () => undefined,
      );
    }
    printLogs(dir);
    return 1;
  } finally {
    await context?.close().catch(() => undefined);
    await server?.stop();
    if (passed && !process.env.SEMSEARCH_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
}

main().then(
  code => process.exit(code),
  error => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
