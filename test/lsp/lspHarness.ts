// The built language server (dist/server.js --stdio) as a child process behind a real protocol connection,
// with a client that answers workspace/configuration and window/workDoneProgress/create, records progress,
// health notifications and log messages, and waits on notifications with a timeout (never a sleep).

import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  ConfigurationRequest,
  createProtocolConnection,
  InitializeRequest,
  LogMessageNotification,
  ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressCreateRequest,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { CONFIG_SECTION, Health, HealthNotification } from '../../common/protocol';
import { PROJECT_ROOT, standinModelsDir } from '../helpers/standin';

export const SERVER = path.join(PROJECT_ROOT, 'dist', 'server.js');

export type ProgressEvent = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface StartOptions {
  folders: { uri: string; name: string }[];
  /** Where the server keeps each folder's store (initializationOptions.storesDir). */
  storageDir: string;
  /** Answered to workspace/configuration for the 'semsearch' section (CONFIG_SECTION); tests may change it. */
  config?: Record<string, unknown>;
  initSettings?: Record<string, unknown>;
  /** More initializationOptions (embeddingApiKey). */
  initOptions?: Record<string, unknown>;
  env?: Record<string, string>;
}

export class LspServer {
  readonly healths: Health[] = [];
  readonly progress = new Map<string, ProgressEvent[]>();
  readonly logs: string[] = [];
  configPulls = 0;
  private readonly waiters: (() => void)[] = [];
  private stderr = '';

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    readonly config: Record<string, unknown>,
  ) {}

  static async start(opts: StartOptions): Promise<LspServer> {
    const env = { ...process.env, SEMSEARCH_MODEL_DIR: standinModelsDir(), SEMSEARCH_MODEL: 'minilm-standin', ...opts.env };
    const child = spawn(process.execPath, [SERVER, '--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const server = new LspServer(child, connection, opts.config ?? {});
    child.stderr!.on('data', (d: Buffer) => {
      server.stderr += d.toString();
    });
    server.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: opts.folders,
      initializationOptions: {
        storesDir: opts.storageDir,
        ...(opts.initSettings ? { settings: opts.initSettings } : {}),
        ...opts.initOptions,
      },
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: false },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        window: { workDoneProgress: true },
      },
    });
    await connection.sendNotification('initialized', {});
    return server;
  }

  /** The server's process id (its embedder workers are its children). */
  get pid(): number {
    return this.child.pid!;
  }

  get latestHealth(): Health | undefined {
    return this.healths[this.healths.length - 1];
  }

  /** Resolves with the first health (the latest one received, or a later one) that satisfies `pred`. */
  waitForHealth(pred: (h: Health) => boolean, what: string, timeoutMs = 40_000): Promise<Health> {
    return this.waitFor(
      () => {
        const h = this.latestHealth;
        return h && pred(h) ? h : undefined;
      },
      `health: ${what}`,
      timeoutMs,
    );
  }

  /** Resolves once `check` returns something, re-checked after every message from the server. */
  waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 40_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `Timed out after ${timeoutMs} ms waiting for ${what}; last health: ${JSON.stringify(this.latestHealth)}\nserver log:\n${this.logs.slice(-15).join('\n')}${this.stderr}`,
          ),
        );
      }, timeoutMs);
      const poll = () => {
        const found = check();
        if (found === undefined) {
          this.waiters.push(poll);
          return;
        }
        clearTimeout(timer);
        resolve(found);
      };
      poll();
    });
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>(resolve => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.once('exit', code => resolve(code));
    });
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill('SIGKILL');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }

  private listen(): void {
    const c = this.connection;
    c.onRequest(ConfigurationRequest.type, params => {
      this.configPulls++;
      this.changed();
      return params.items.map(item => (item.section === CONFIG_SECTION ? { ...this.config } : null));
    });
    c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      const events: ProgressEvent[] = [];
      this.progress.set(String(token), events);
      c.onProgress(WorkDoneProgress.type, token, e => {
        events.push(e);
        this.changed();
      });
    });
    c.onNotification(HealthNotification.type, h => {
      this.healths.push(h);
      this.changed();
    });
    c.onNotification(LogMessageNotification.type, m => {
      this.logs.push(m.message);
      this.changed();
    });
    c.onError(([e]) => assert.fail(`connection error (is the server writing to stdout?): ${e.message}`));
    c.listen();
  }

  private changed(): void {
    for (const poll of this.waiters.splice(0)) poll();
  }
}

/** Sum of batches over the workers: each batch is one embedding call. */
export function totalBatches(h: Health): number {
  return h.workers.reduce((n, w) => n + w.batches, 0);
}

/** `promise`, or a rejection naming `what` after `ms`: a request the server drops fails the test instead of hanging it. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms} ms to ${what}.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
