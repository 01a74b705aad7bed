import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PauseRequest, ReindexRequest } from '../../../common/protocol';
import type { HealthStore } from '../healthStore';
import { errorMessage } from '../log';
import type { HealthNode } from '../views/healthNodes';

const PAUSED_CONTEXT = 'semanticSearch.paused';

/** Reindex all folders, or one: a folder URI string (API, tests) or a folder row of the health view. */
export async function reindex(client: LanguageClient, log: vscode.LogOutputChannel, target?: string | HealthNode): Promise<void> {
  const folder = typeof target === 'string' ? target : target?.id.startsWith('folder:') ? target.id.slice('folder:'.length) : undefined;
  try {
    await client.sendRequest(ReindexRequest.type, { folder });
  } catch (error) {
    log.error(`Reindex failed: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`Semantic Search: reindex failed: ${errorMessage(error)}`);
  }
}

export async function setPaused(client: LanguageClient, log: vscode.LogOutputChannel, paused: boolean): Promise<void> {
  // Flip the title button at once; the pushed health confirms (or corrects) it.
  await vscode.commands.executeCommand('setContext', PAUSED_CONTEXT, paused);
  try {
    await client.sendRequest(PauseRequest.type, { paused });
  } catch (error) {
    log.error(`${paused ? 'Pause' : 'Resume'} failed: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`Semantic Search: ${paused ? 'pause' : 'resume'} failed: ${errorMessage(error)}`);
  }
}

/** Keeps the pause/resume toggle in the view title in step with the server's state. */
export function trackPausedContext(store: HealthStore): vscode.Disposable {
  let paused: boolean | undefined;
  return store.onDidChange(health => {
    if ((health.state === 'paused') === paused) return;
    paused = health.state === 'paused';
    void vscode.commands.executeCommand('setContext', PAUSED_CONTEXT, paused);
  });
}
