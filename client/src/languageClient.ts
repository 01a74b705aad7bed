import * as vscode from 'vscode';
import {
  CloseAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CONFIG_SECTION } from '../../common/protocol';
import { readSettings } from './config';

/** What the server is given from SecretStorage at start (filled in before the client starts). */
export interface StartSecrets {
  embeddingApiKey?: string;
}

/** Told when the server process ends by itself (a crash, a kill): whether the client starts it again. */
export type ServerExitListener = (restarting: boolean) => void;

/** Builds (does not start) the client for dist/server.js. The server runs in its own process over IPC, so
 *  indexing can neither freeze nor crash the extension host; the embedder workers are its children. */
export function createLanguageClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  onServerExit: ServerExitListener = () => {},
  secrets: StartSecrets = {},
): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    // --nolazy so breakpoints bind in the bundle; a fixed port so a launch config can attach.
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    // Every file on disk: the server follows saved edits of any language, not only ones it can parse.
    documentSelector: [{ scheme: 'file' }],
    synchronize: {
      // Creates, changes, deletes (a rename arrives as delete + create) made outside the editor too.
      fileEvents: watcher,
      // The server pulls settings (workspace/configuration); this only tells it when to pull again.
      configurationSection: CONFIG_SECTION,
    },
    // No stores folder: the server keeps each folder's index in the user's cache, where the CLI and the MCP
    // server find it too (a second window on the same folder reads the index the first one writes).
    // A function: read at start, after start() has fetched the API key from SecretStorage.
    initializationOptions: () => ({
      settings: readSettings(),
      ...(secrets.embeddingApiKey ? { embeddingApiKey: secrets.embeddingApiKey } : {}),
    }),
    outputChannel: log,
    errorHandler: restartReporting(() => client, onServerExit),
  };
  const client: LanguageClient = new LanguageClient('semanticSearch', 'Semsearch', serverOptions, clientOptions);
  return client;
}

/** The client's own policy (restart, unless it died 5 times in 3 minutes), reporting each decision: a new
 *  server resumes from its last checkpoint, so the user is told it is coming back rather than that it is gone. */
function restartReporting(client: () => LanguageClient, onServerExit: ServerExitListener): ErrorHandler {
  let policy: ErrorHandler | undefined;
  const defaults = () => (policy ??= client().createDefaultErrorHandler(4));
  return {
    error: (error, message, count) => defaults().error(error, message, count),
    closed: async () => {
      const result = await defaults().closed();
      onServerExit(result.action === CloseAction.Restart);
      return result;
    },
  };
}
