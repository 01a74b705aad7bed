// Runs an extension's mocha suite inside a real VS Code extension host (code-server), the way
// @vscode/test-electron's runTests does with the desktop build: the workbench loads the extension from
// extensionDevelopmentPath, requires extensionTestsPath and calls its run(); the result comes back through
// the smoke-test driver hooks codeAutomationLog / codeAutomationExit, which this page exposes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { findFiles, launchBrowser, startCodeServer, tail, type BrowserContext, type CodeServer } from './codeServer';

const OFFLINE_NOISE = /open-vsx\.org|GalleryExtensions|\[AccountPolicyGate\]/;

export interface RunOptions {
  extensionDevelopmentPath: string;
  /** The module exporting run(): Promise<void>. */
  extensionTestsPath: string;
  workspace: string;
  /** Throwaway dir (code-server's data, Chromium's profile, logs). */
  dir: string;
  /** Environment of the extension host (the payload's extensionEnvironment). */
  extensionEnv?: Record<string, string>;
  timeoutSeconds?: number;
  /** Saved when the run ends (pass or fail). */
  screenshot?: string;
}

/** The tests' exit code: 0 when every test passed. */
export async function runVscodeTests(o: RunOptions): Promise<number> {
  let server: CodeServer | undefined;
  let context: BrowserContext | undefined;
  try {
    server = await startCodeServer({ dir: o.dir, workspace: o.workspace });
    const browser = await launchBrowser(o.dir);
    context = browser.context;
    const page = browser.page;
    const srv = server;
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', srv.remote(o.extensionDevelopmentPath)],
      ['extensionTestsPath', srv.remote(o.extensionTestsPath)],
      ['skipWelcome', 'true'],
    ];
    if (o.extensionEnv) payload.push(['extensionEnvironment', JSON.stringify(o.extensionEnv)]);

    const timeoutMs = (o.timeoutSeconds ?? 600) * 1000;
    const code = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        console.error(`TIMEOUT: the extension tests did not finish within ${timeoutMs / 1000} s`);
        resolve(124);
      }, timeoutMs);
      const done = (c: number) => {
        clearTimeout(timer);
        resolve(c);
      };
      page.on('close', () => done(125));
      page.on('pageerror', e => console.error(`[workbench page error] ${String(e)}`));
      Promise.all([
        page.exposeFunction('codeAutomationLog', ((type: string, args: unknown[]) => {
          const line = util.format(...(Array.isArray(args) ? args : [args]));
          // This machine has no route to the extension gallery; the workbench's failed lookups are noise.
          if (OFFLINE_NOISE.test(line)) return;
          if (type === 'error') console.error(line);
          else console.log(line);
        }) as (...a: never[]) => unknown),
        page.exposeFunction('codeAutomationExit', ((c: number) => done(Number(c))) as (...a: never[]) => unknown),
      ])
        .then(() => page.goto(srv.workbenchUrl(payload)))
        .catch(reject);
    });
    if (o.screenshot) await page.screenshot({ path: o.screenshot }).catch(() => undefined);
    if (code !== 0) printLogs(o.dir);
    return code;
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    printLogs(o.dir);
    return 1;
  } finally {
    await context?.close().catch(() => undefined);
    await server?.stop();
  }
}

/** After a failure: where the logs are, and the end of the extension host's and the extension's own. */
export function printLogs(dir: string): void {
  const logs = [
    ...findFiles(path.join(dir, 'ud', 'logs'), /exthost\d*[/\\](exthost|remoteexthost)\.log$|remoteexthost\.log$/),
    ...findFiles(path.join(dir, 'ud', 'logs'), /Semsearch\.log$/),
  ];
  console.error(`\nLogs kept in ${dir}`);
  for (const file of logs) {
    if (!fs.statSync(file).size) continue;
    console.error(`\n--- ${path.relative(dir, file)} (last lines) ---\n${tail(file, 60)}`);
  }
  console.error(`\n--- code-server.log (last lines) ---\n${tail(path.join(dir, 'code-server.log'), 20)}`);
}
