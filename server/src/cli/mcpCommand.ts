// `semsearch mcp [folder...]`: an MCP server on stdin/stdout for the folders (default: the current one). It
// serves them as the language server does (an IndexService): each folder's default store, indexed and kept
// fresh by this process when it gets the store's lock, else searched read-only and reloaded whenever the
// holder (a VS Code window, another `semsearch`) saves. stdout carries the protocol only: logs go to stderr.
// It ends when the client closes stdin, or at SIGINT / SIGTERM, saving what it followed.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { defaultStoresDir } from '../engine';
import { watchFolder } from '../mcp/folderWatcher';
import { createMcpServer } from '../mcp/mcpServer';
import { IndexService } from '../workspace/indexService';
import type { Logger } from '../workspace/logging';
import { EXIT } from './exitCodes';
import type { Interrupts } from './interrupts';
import { embeddingApiKeyFromEnv } from './openEngine';
import type { CommandOptions } from './ownOptions';
import { settingsFromOptions } from './settingOptions';
import { say } from './stderrLines';
import { folderToIndex } from './storeChoice';

const log: Logger = { info: say, warn: say, error: say };

export async function runMcp(folders: string[], opts: CommandOptions, interrupts: Interrupts): Promise<number> {
  const settings = settingsFromOptions('mcp', opts);
  const roots = (folders.length > 0 ? folders : ['.']).map(f => folderToIndex(f, true));
  const service = new IndexService(defaultStoresDir(), settings, { log, healthChanged: () => {} });
  void service.setEmbeddingApiKey(embeddingApiKeyFromEnv());
  const server = createMcpServer(service);
  const closed = new Promise<void>(resolve => {
    server.server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport());
  const watches = roots.map(root => {
    const w = watchFolder(root, file => service.fileChanged(pathToFileURL(file).href), log);
    void w.ready.then(() => log.info(`Watching ${root} for changes.`));
    return w;
  });
  try {
    await interrupts.stoppable(async signal => {
      const stopped = new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), { once: true }));
      await service.start(roots.map(root => ({ uri: pathToFileURL(root).href, name: path.basename(root) })));
      await Promise.race([closed, stopped]);
    });
  } finally {
    await Promise.all(watches.map(w => w.close()));
    await service.dispose();
    await server.close();
  }
  return interrupts.exitCode ?? EXIT.ok;
}
