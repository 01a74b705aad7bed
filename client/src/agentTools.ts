// The index offered to VS Code's agents, two ways: a language-model tool (`#semsearch` in chat, or a tool
// call of any agent mode) answered by the running language server, and the MCP server (`semsearch mcp`)
// offered to VS Code's MCP support, run with VS Code's own Node over the workspace's folders.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { agentHit, agentText, DEFAULT_TOOL_K } from '../../common/agentText';
import { MCP_PROVIDER_ID, SEARCH_TOOL_ID, SearchRequest } from '../../common/protocol';
import type { SearchMode } from '../../common/settings';
import { settingsAsFlags } from '../../common/settingsArgs';
import { readSettings } from './config';
import { readEmbeddingApiKey } from './embeddingApiKey';
import { errorMessage } from './log';

/** search_code's arguments (server/src/mcp/toolSchemas.ts), which package.json declares for this tool. */
interface SearchToolInput {
  query: string;
  k?: number;
  mode?: SearchMode;
  path?: string;
  /** A workspace folder's name or path. */
  folder?: string;
}

export function registerAgentTools(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable[] {
  // The MCP server's arguments name the folders: VS Code asks again when they change.
  const foldersChanged = new vscode.EventEmitter<void>();
  return [
    foldersChanged,
    vscode.workspace.onDidChangeWorkspaceFolders(() => foldersChanged.fire()),
    vscode.lm.registerTool<SearchToolInput>(SEARCH_TOOL_ID, {
      prepareInvocation: options => ({ invocationMessage: `Searching the code for "${String(options.input?.query ?? '').slice(0, 80)}"` }),
      invoke: (options, token) => searchForAgent(client, options.input, token),
    }),
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: foldersChanged.event,
      provideMcpServerDefinitions: () => mcpDefinitions(context),
    }),
  ];
}

async function searchForAgent(
  client: LanguageClient,
  input: SearchToolInput | undefined,
  token: vscode.CancellationToken,
): Promise<vscode.LanguageModelToolResult> {
  if (typeof input?.query !== 'string')
    throw new Error('The search needs a "query": words describing the code, an identifier, or an excerpt.');
  let result;
  try {
    const folder = input.folder === undefined ? undefined : folderUri(input.folder);
    result = await client.sendRequest(
      SearchRequest.type,
      { query: input.query, k: input.k ?? DEFAULT_TOOL_K, mode: input.mode, glob: input.path, folder },
      token,
    );
  } catch (error) {
    // The server's message already says what was wrong (an empty query, a bad glob, an index still starting).
    throw new Error(errorMessage(error));
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  const hits = result.results.map(r =>
    agentHit(r, folders.length > 1 ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(r.uri))?.name : undefined),
  );
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(agentText(hits, result.partial))]);
}

/** A workspace folder's URI by its name or path; a name no folder has goes to the server, which says which exist. */
function folderUri(nameOrPath: string): string {
  const f = (vscode.workspace.workspaceFolders ?? []).find(w => w.name === nameOrPath || w.uri.fsPath === nameOrPath);
  return f ? f.uri.toString() : nameOrPath;
}

/**
 * One server over every local workspace folder, or none when no folder is open on this machine's disk. It gets
 * the user's settings as flags and the endpoint's API key in its environment: it opens the same stores as the
 * language server, which another model or chunking would make it rebuild.
 */
export async function mcpDefinitions(context: vscode.ExtensionContext): Promise<vscode.McpStdioServerDefinition[]> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath);
  if (folders.length === 0) return [];
  const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '');
  const key = await readEmbeddingApiKey(context);
  // VS Code's own runtime: Electron runs as plain Node with ELECTRON_RUN_AS_NODE (code-server's is Node already).
  const env: Record<string, string> = { ELECTRON_RUN_AS_NODE: '1', ...(key ? { SEMSEARCH_EMBEDDING_API_KEY: key } : {}) };
  return [
    new vscode.McpStdioServerDefinition(
      'Semsearch',
      process.execPath,
      [cli, 'mcp', ...settingsAsFlags(readSettings()), '--', ...folders],
      env,
      version,
    ),
  ];
}
