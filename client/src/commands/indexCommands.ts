import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PauseRequest, ReindexRequest } from '../../../common/protocol';
import { setStateContext } from '../contextKeys';
import { errorMessage } from '../log';
import type { HealthNode } from '../views/healthNodes';

/** Reindex all folders, or one: a folder URI string (API, tests) or a folder row of the health view. */
export async function reindex(client: LanguageClient, log: vscode.LogOutputChannel, target?: string | HealthNode): Promise<void> {
  const folder = typeof target === 'string' ? target : folderUriOf(target);
  try {
    await client.sendRequest(ReindexRequest.type, { folder });
  } catch (error) {
    log.error(`Reindex failed: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`Semsearch: reindex failed: ${errorMessage(error)}`);
  }
}

export async function setPaused(client: LanguageClient, log: vscode.LogOutputChannel, paused: boolean): Promise<void> {
  // Flip the title button at once; the pushed health confirms (or corrects) it.
  await setStateContext(paused ? 'paused' : 'indexing');
  try {
    await client.sendRequest(PauseRequest.type, { paused });
  } catch (error) {
    await setStateContext(paused ? 'indexing' : 'paused'); // the guess was wrong: the button goes back
    log.error(`${paused ? 'Pause' : 'Resume'} failed: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`Semsearch: ${paused ? 'pause' : 'resume'} failed: ${errorMessage(error)}`);
  }
}

/** The folder URI of a health-view folder row ("folder:<uri>"); undefined for any other row or none. */
function folderUriOf(node: HealthNode | undefined): string | undefined {
  return node?.id.startsWith('folder:') ? node.id.slice('folder:'.length) : undefined;
}
