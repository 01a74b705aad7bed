// The language server's composition root. The client starts it with IPC (--node-ipc); tests use --stdio,
// which is why nothing here may write to stdout: logs go through connection.console.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection, InitializeParams, InitializeResult, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { HealthNotification } from '../../common/protocol';
import { askForConfigurationChanges, registerConfiguration, SettingsSource } from './handlers/configuration';
import { registerControls } from './handlers/controlHandlers';
import { registerFileEvents } from './handlers/fileEvents';
import { registerSearch } from './handlers/searchHandler';
import { registerStatus } from './handlers/statusHandlers';
import { defaultStoresDir } from './engine';
import { HealthPublisher } from './workspace/healthPublisher';
import { IndexService } from './workspace/indexService';
import type { Logger } from './workspace/logging';

/** What the client passes in initializationOptions. */
interface InitOptions {
  /**
   * Where each folder's store goes; by default the user's cache (engine/store/storeLocation.ts), shared with
   * the CLI and the MCP server. Tests give their own.
   */
  storesDir?: string;
  settings?: Record<string, unknown>;
  /** The embedding endpoint's API key, from the client's SecretStorage (EmbeddingApiKeyRequest after a change). */
  embeddingApiKey?: string;
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
  const s = new IndexService(storesDirOf(init), settings.initialSettings(), {
    log,
    healthChanged: () => publisher?.changed(),
  });
  service = s;
  if (typeof init.embeddingApiKey === 'string') void s.setEmbeddingApiKey(init.embeddingApiKey);
  publisher = new HealthPublisher(
    () => s.state(),
    () => s.health(),
    h => void connection.sendNotification(HealthNotification.type, h),
  );
  registerSearch(connection, s);
  registerStatus(connection, s);
  registerControls(connection, s);
  registerFileEvents(connection, s);
  registerConfiguration(connection, settings, s);
  clientCapabilities = params.capabilities;
  supportsFolderChanges = Boolean(params.capabilities.workspace?.workspaceFolders);
  initialFolders =
    params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(safePath(params.rootUri)) }] : []);
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

function storesDirOf(init: InitOptions): string {
  return typeof init.storesDir === 'string' && init.storesDir !== '' ? path.resolve(init.storesDir) : defaultStoresDir();
}

function safePath(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

process.on('unhandledRejection', e => log.error(`Unexpected: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

connection.listen();
