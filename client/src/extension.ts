import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerAgentTools } from './agentTools';
import { createApi, type SemanticSearchApi } from './api';
import { registerCommands } from './commands/registerCommands';
import { SearchQuickPick } from './commands/searchQuickPick';
import { trackContextKeys } from './contextKeys';
import { HealthModel } from './healthModel';
import { followEmbeddingApiKey, readEmbeddingApiKey } from './embeddingApiKey';
import { createLanguageClient, type StartSecrets } from './languageClient';
import { createLog, errorMessage } from './log';
import { removeOldStores } from './oldStores';
import { ProblemNotifier } from './problemNotifier';
import { StatusBar } from './statusBar';
import { FileLister } from './views/fileNodes';
import { HealthTreeProvider } from './views/healthTreeProvider';

let client: LanguageClient | undefined;

/** Builds and registers everything at once, then starts the server without waiting for it: the API and
 *  the views exist immediately and fill in from the health notifications. */
export function activate(context: vscode.ExtensionContext): SemanticSearchApi {
  const log = createLog();
  // The exit callback runs only once the server has started and died, long after `healthModel` exists.
  const secrets: StartSecrets = {};
  client = createLanguageClient(context, log, restarting => healthModel.serverExited(restarting), secrets);
  const healthModel = new HealthModel(client, log);
  const search = new SearchQuickPick(client, healthModel, log);
  const tree = new HealthTreeProvider(healthModel, new FileLister(client, log));
  const view = vscode.window.createTreeView('semanticSearch.health', { treeDataProvider: tree });
  const notifier = new ProblemNotifier(healthModel);
  context.subscriptions.push(
    log,
    healthModel,
    tree,
    view,
    tree.showMessagesIn(view),
    new StatusBar(healthModel),
    notifier,
    trackContextKeys(healthModel),
    ...registerCommands({ context, client, healthModel, log, search }),
    ...registerAgentTools(context, client),
    followEmbeddingApiKey(context, client, log, secrets),
  );
  cleanOldStores(context, log);
  void start(client, healthModel, log, async () => {
    secrets.embeddingApiKey = await readEmbeddingApiKey(context);
  });
  return createApi(context, client, healthModel, search, notifier);
}

/** Removes the stores older versions kept in VS Code's storage (oldStores.ts), saying what it freed; never
 *  stops the activation, and runs after it, so a slow disk does not hold the extension up. */
function cleanOldStores(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  setImmediate(() => {
    for (const uri of [context.storageUri, context.globalStorageUri]) {
      if (uri?.scheme !== 'file') continue;
      try {
        const r = removeOldStores(uri.fsPath);
        if (r.removed > 0)
          log.info(
            `Removed ${r.removed} index folder(s) of an older version from ${uri.fsPath} (${(r.bytes / 1048576).toFixed(1)} MB); indexes now live in the user's cache folder.`,
          );
        for (const line of r.failed) log.warn(`Could not remove an older version's index folder ${line}`);
      } catch (error) {
        log.warn(`Could not look for an older version's index folders in ${uri.fsPath}: ${errorMessage(error)}`);
      }
    }
  });
}

async function start(
  lc: LanguageClient,
  healthModel: HealthModel,
  log: vscode.LogOutputChannel,
  readSecrets: () => Promise<void>,
): Promise<void> {
  try {
    await readSecrets().catch(error => log.warn(`Could not read the embedding API key from the secret storage: ${errorMessage(error)}`));
    await lc.start();
  } catch (error) {
    log.error(`The language server did not start: ${errorMessage(error)}`);
    healthModel.fail(`The language server did not start: ${errorMessage(error)}`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
