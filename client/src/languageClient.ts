import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CONFIG_SECTION } from '../../common/protocol';
import { readSettings } from './config';

/** Builds (does not start) the client for dist/server.js. The server runs in its own process over IPC, so
 *  indexing can neither freeze nor crash the extension host; the embedder workers are its children. */
export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
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
    initializationOptions: {
      // Workspace storage when there is a workspace, so each workspace keeps its own index.
      storageDir: storageDir(context).fsPath,
      settings: readSettings(),
    },
    outputChannel: log,
  };
  return new LanguageClient('semanticSearch', 'Semantic Search', serverOptions, clientOptions);
}

export function storageDir(context: vscode.ExtensionContext): vscode.Uri {
  return context.storageUri ?? context.globalStorageUri;
}
