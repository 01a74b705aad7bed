import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SearchRequest, type Health, type SearchParams, type SearchResult } from '../../common/protocol';
import type { QuickPickSnapshot, SearchQuickPick } from './commands/searchQuickPick';
import { mcpDefinitions } from './agentTools';
import type { HealthModel } from './healthModel';
import type { ProblemNotifier } from './problemNotifier';

/** What activate() returns, for e2e tests and other extensions (`extension.exports`). */
export interface SemanticSearchApi {
  /** The latest health; undefined until the server answered or pushed one. */
  health(): Health | undefined;
  /** Fires on every pushed health change: wait on this instead of sleeping. */
  onDidChangeHealth: vscode.Event<Health>;
  search(params: SearchParams): Promise<SearchResult>;
  /** What the search Quick Pick shows (or last showed). */
  lastQuickPick(): QuickPickSnapshot | undefined;
  /** The problem notifications shown so far, in order (each problem is said once). */
  notices(): readonly string[];
  /** What the extension offers VS Code's MCP support (the e2e test starts it and lists its tools). */
  mcpServers(): Promise<vscode.McpStdioServerDefinition[]>;
  client: LanguageClient;
}

export function createApi(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  healthModel: HealthModel,
  quickPick: SearchQuickPick,
  notifier: ProblemNotifier,
): SemanticSearchApi {
  return {
    health: () => healthModel.health,
    onDidChangeHealth: healthModel.onDidChange,
    search: params => client.sendRequest(SearchRequest.type, params),
    lastQuickPick: () => quickPick.last(),
    notices: () => notifier.shown,
    mcpServers: () => mcpDefinitions(context),
    client,
  };
}
