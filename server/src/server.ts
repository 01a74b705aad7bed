// The language server's composition root. The client starts it with IPC (--node-ipc); tests use --stdio,
// which is why nothing here may write to stdout: logs go through connection.console.

import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection, InitializeParams, InitializeResult, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { HealthNotification } from '../../common/protocol';
import { askForConfigurationChanges, registerConfiguration, SettingsSource } from './handlers/configuration';
import { registerControls } from './handlers/controlHandlers';
import { registerFileEvents } from './handlers/fileEvents';
import { registerSearch } from './handlers/searchHandler';
import { registerStatus } from './handlers/statusHandlers';
import { HealthPublisher } from './workspace/healthPublisher';
import { IndexService } from './workspace/indexService';
import type { Logger } from './workspace/logging';

/** What the client passes in initializationOptions. */
interface InitOptions {
  /** The workspace's storage folder (never inside the workspace); each folder's index goes below it. */
  storageDir?: string;
  settings?: Record<string, unknown>;
}

const connection = createConnection(ProposedFeatures.all);
const log: Logger = {
  info: m => connection.console.info(m),
  warn: m => connection.console.warn(m),
  error: m => connection.console.error(m),
};
let service: IndexService | undefined;
let publisher: HealthPublisher | undefined;
let settings: SettingsSource | undefined;
let supportsFolderChanges = false;
let clientCapabilities: InitializeParams['capabilities'] = {};
/** The folders named in initialize, indexed once initialized (when settings can be pulled). */
let initialFolders: { uri: string; name: string }[] = [];

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const init = (params.initializationOptions ?? {}) as InitOptions;
  settings = new SettingsSource(connection, init.settings, params.capabilities, log);
  const s = new IndexService(storageDirOf(init), settings.initialSettings(), {
    log, healthChanged: () => publisher?.changed(),
  });
  service = s;
  publisher = new HealthPublisher(() => s.state(), () => s.health(), h => void connection.sendNotification(HealthNotification.type, h));
  registerSearch(connection, s);
  registerStatus(connection, s);
  registerControls(connection, s);
  registerFileEvents(connection, s);
  registerConfiguration(connection, settings, s);
  clientCapabilities = params.capabilities;
  supportsFolderChanges = Boolean(params.capabilities.workspace?.workspaceFolders);
  initialFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(safePath(params.rootUri)) }] : []);
  return {
    capabilities: {
      // Only saves matter: the index follows files on disk, not unsaved editor contents.
      textDocumentSync: { openClose: false, change: TextDocumentSyncKind.None, save: { includeText: false } },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'semsearch' },
  };
});

connection.onInitialized(async () => {
  if (!service || !settings) return;
  const s = service;
  askForConfigurationChanges(connection, clientCapabilities);
  if (supportsFolderChanges) {
    connection.workspace.onDidChangeWorkspaceFolders(async e => {
      for (const f of e.removed) await s.removeFolder(f.uri);
      for (const f of e.added) s.addFolder(f.uri, f.name);
    });
  }
  await s.start(initialFolders, await settings.pull());
});

connection.onShutdown(async () => {
  publisher?.stop();
  await service?.dispose();
});

/** Falls back to a per-user folder when the client gives none, so the index never lands in the workspace. */
function storageDirOf(init: InitOptions): string {
  if (typeof init.storageDir === 'string' && init.storageDir !== '') return path.resolve(init.storageDir);
  const dir = path.join(os.homedir(), '.cache', 'semsearch', 'stores');
  log.warn(`No storageDir in initializationOptions; keeping indexes in ${dir}.`);
  return dir;
}

function safePath(uri: string): string {
  try { return fileURLToPath(uri); } catch { return uri; }
}

process.on('unhandledRejection', e => log.error(`Unexpected: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));

connection.listen();
