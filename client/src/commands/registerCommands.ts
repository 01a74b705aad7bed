import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { HealthModel } from '../healthModel';
import type { HealthNode } from '../views/healthNodes';
import { similarQuery, similarSource } from './findSimilar';
import { reindex, setPaused } from './indexCommands';
import { chooseModelsFolder, downloadModel, openModelSettings, useBuiltInModel } from './modelCommands';
import { setEmbeddingApiKey } from '../embeddingApiKey';
import type { SearchQuickPick } from './searchQuickPick';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  client: LanguageClient;
  healthModel: HealthModel;
  log: vscode.LogOutputChannel;
  search: SearchQuickPick;
}

/** Every command the manifest contributes; the ids are fixed (e2e tests and keybindings use them). */
export function registerCommands({ context, client, healthModel, log, search }: CommandDeps): vscode.Disposable[] {
  const command = (id: string, run: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    command('semanticSearch.search', (arg?: { query?: string }) => search.show(typeof arg?.query === 'string' ? arg.query : '')),
    command('semanticSearch.findSimilar', () =>
      search.show(similarQuery(vscode.window.activeTextEditor), similarSource(vscode.window.activeTextEditor)),
    ),
    command('semanticSearch.reindex', (target?: string | HealthNode) => reindex(client, log, target)),
    command('semanticSearch.pause', () => setPaused(client, log, true)),
    command('semanticSearch.resume', () => setPaused(client, log, false)),
    command('semanticSearch.showLog', () => log.show(true)),
    command('semanticSearch.focusHealth', () => vscode.commands.executeCommand('semanticSearch.health.focus')),
    command('semanticSearch.downloadModel', () => downloadModel(client, log, healthModel.health?.problem?.modelId)),
    command('semanticSearch.chooseModelsFolder', () => chooseModelsFolder()),
    command('semanticSearch.useBuiltInModel', () => useBuiltInModel()),
    command('semanticSearch.openModelSettings', () => openModelSettings()),
    command('semanticSearch.setEmbeddingApiKey', () => setEmbeddingApiKey(context)),
  ];
}
