// The embedding endpoint's API key (the embeddingEndpoint setting: an OpenAI-compatible server), kept in
// VS Code's SecretStorage, never in settings.json. The server gets it at start (initializationOptions) and
// again whenever it changes, here or in another window.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EmbeddingApiKeyRequest } from '../../common/protocol';
import { errorMessage } from './log';

const SECRET = 'semsearch.embeddingApiKey';

export function readEmbeddingApiKey(context: vscode.ExtensionContext): Thenable<string | undefined> {
  return context.secrets.get(SECRET);
}

/** The command: asks for the key (empty clears it) and stores it; the server is told through onDidChange. */
export async function setEmbeddingApiKey(context: vscode.ExtensionContext): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: 'Semsearch: Embedding API Key',
    password: true,
    ignoreFocusOut: true,
    prompt:
      "The API key of the embedding endpoint (the embeddingEndpoint setting), kept in VS Code's secret storage. Leave empty to remove it.",
  });
  if (key === undefined) return;
  if (key.trim() === '') await context.secrets.delete(SECRET);
  else await context.secrets.store(SECRET, key.trim());
}

/**
 * Sends the key to the server whenever the stored one changes, and keeps `atStart` current: a server the
 * client restarts (after a crash) starts with the key of now.
 */
export function followEmbeddingApiKey(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  log: vscode.LogOutputChannel,
  atStart: { embeddingApiKey?: string },
): vscode.Disposable {
  return context.secrets.onDidChange(async e => {
    if (e.key !== SECRET) return;
    const key = await readEmbeddingApiKey(context);
    atStart.embeddingApiKey = key;
    if (!client.isRunning()) return;
    try {
      await client.sendRequest(EmbeddingApiKeyRequest.type, { key: key ?? '' });
      log.info('The embedding API key changed; the server uses the new one.');
    } catch (error) {
      log.error(`Could not give the server the new embedding API key: ${errorMessage(error)}`);
    }
  });
}
