import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { HealthNotification, HealthRequest, type Health } from '../../common/protocol';
import { errorMessage } from './log';

/** The latest Health, from one HealthRequest and then the server's pushed HealthNotifications (no polling).
 *  The status bar, the tree and the API all render from this one object. */
export class HealthModel implements vscode.Disposable {
  private current: Health | undefined;
  private notified = false;
  /** Why the server is gone, once the client's error handler has decided what to do about it. */
  private exitMessage: string | undefined;
  private readonly changed = new vscode.EventEmitter<Health>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // Registered before start so the first push after initialize is not missed.
    this.disposables.push(
      client.onNotification(HealthNotification.type, health => {
        this.notified = true;
        this.set(health);
      }),
    );
    this.disposables.push(
      client.onDidChangeState(e => {
        // Running again after a crash (the client restarts it) means a new server with its own health.
        if (e.newState === State.Running) {
          this.exitMessage = undefined;
          void this.fetch();
        } else if (e.newState === State.Stopped && e.oldState === State.Running)
          this.fail(this.exitMessage ?? 'The language server stopped; see the Semsearch log.');
      }),
    );
  }

  get health(): Health | undefined {
    return this.current;
  }

  /** The server process ended by itself; the client's error handler says whether it starts a new one. */
  serverExited(restarting: boolean): void {
    this.exitMessage = restarting
      ? 'The language server stopped unexpectedly and is being restarted; indexing resumes from its last save.'
      : 'The language server stopped 5 times in 3 minutes and was not restarted; see the Semsearch log, then reload the window.';
  }

  /** Once the server runs: its current health, unless a push arrived meanwhile (it is as new). */
  private async fetch(): Promise<void> {
    this.notified = false;
    try {
      const health = await this.client.sendRequest(HealthRequest.type);
      if (!this.notified) this.set(health);
    } catch (error) {
      this.log.error(`Health request failed: ${errorMessage(error)}`);
    }
  }

  /** A client-side failure (the server did not start or died) shown where the server's own errors are. */
  fail(message: string): void {
    this.set({ ...(this.current ?? emptyHealth()), state: 'error', message, progress: undefined });
  }

  private set(health: Health): void {
    this.current = health;
    this.changed.fire(health);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function emptyHealth(): Health {
  return {
    state: 'starting',
    folders: [],
    chunks: 0,
    vectors: 0,
    workers: [],
    cache: { hits: 0, misses: 0, hitRate: 0, entries: 0 },
    model: { id: '', dims: 0, maxChunkTokens: 0, inProcess: false },
  };
}
