// Files created, changed, deleted or renamed (the client's **/* watcher) and saved documents: each path is
// handed to the service, which coalesces bursts and re-judges every path as a full walk would.

import type { Connection } from 'vscode-languageserver/node';
import type { IndexService } from '../workspace/indexService';

export function registerFileEvents(connection: Connection, service: IndexService): void {
  connection.onDidChangeWatchedFiles(params => {
    // Whatever a client sends: a path outside every workspace folder is dropped by fileChanged, never read.
    const changes: unknown = params?.changes;
    if (!Array.isArray(changes)) return;
    for (const change of changes) if (typeof change?.uri === 'string') service.fileChanged(change.uri);
  });
  connection.onDidSaveTextDocument(params => {
    if (typeof params?.textDocument?.uri === 'string') service.fileChanged(params.textDocument.uri);
  });
}
