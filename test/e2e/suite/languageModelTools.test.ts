// The index as VS Code's agents reach it, in a real extension host: the language-model tool is registered
// and answers vscode.lm.invokeTool from the running language server, and the MCP server definition the
// extension provides starts (VS Code's own Node, `semsearch mcp` over the workspace) and answers tools/list.

import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import * as vscode from 'vscode';
import { SEARCH_TOOL_ID } from '../../../common/protocol';
import type { SemanticSearchApi } from '../../../client/src/api';
import { SOURCE_FILES } from '../fixtureWorkspace';
import { waitForHealth, withDeadline } from './waiting';

describe('Semsearch for agents: the language-model tool and the MCP server', function () {
  let api: SemanticSearchApi;

  before(async function () {
    this.timeout(300_000);
    const ext = vscode.extensions.getExtension<SemanticSearchApi>('semsearch.semsearch')!;
    api = await withDeadline('activating the extension', ext.activate(), 60_000);
    await waitForHealth(
      api,
      'the first index to finish',
      h => h.state === 'idle' && (h.folders[0]?.files.indexed ?? 0) >= SOURCE_FILES.length,
      240_000,
    );
  });

  it('registers the search tool, which answers invokeTool with the file that defines the name', async function () {
    this.timeout(60_000);
    const tool = vscode.lm.tools.find(t => t.name === SEARCH_TOOL_ID);
    assert.ok(tool, `${SEARCH_TOOL_ID} is among ${vscode.lm.tools.map(t => t.name).join(', ')}`);
    assert.match(tool.description, /instead of grep/);
    const result = await vscode.lm.invokeTool(SEARCH_TOOL_ID, { input: { query: 'rb_push', k: 3 }, toolInvocationToken: undefined });
    const text = result.content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(text, /^1\. src\/ringbuf\.c:\d+-\d+ rb_push \(function\)/, text.slice(0, 300));
  });

  it("provides an MCP server that starts with VS Code's Node and lists its tools", async function () {
    this.timeout(120_000);
    const [definition] = await api.mcpServers();
    assert.ok(definition, 'one definition for the open folder');
    // The user's settings that differ from the defaults come as flags; this workspace changes none.
    assert.deepEqual(definition.args.slice(1), ['mcp', '--', vscode.workspace.workspaceFolders![0].uri.fsPath]);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...definition.env })) if (typeof v === 'string') env[k] = v;
    const transport = new StdioClientTransport({ command: definition.command, args: definition.args, env, stderr: 'ignore' });
    const client = new Client({ name: 'semsearch-e2e', version: '1.0.0' });
    await withDeadline('the MCP server to start', client.connect(transport), 60_000);
    try {
      const { tools } = await withDeadline('tools/list', client.listTools(), 30_000);
      assert.deepEqual(tools.map(t => t.name).sort(), ['find_similar', 'index_status', 'search_code']);
    } finally {
      await client.close();
    }
  });
});
