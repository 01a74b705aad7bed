// The MCP server's protocol side (the official SDK's v2 server package, chosen for its two dependencies
// against v1's seventeen, HTTP frameworks included, which a stdio server never uses): the three tools
// (toolSchemas.ts) and their answers as text and as data.

import { McpServer } from '@modelcontextprotocol/server';
import type { IndexService } from '../workspace/indexService';
import { oneLine } from '../workspace/logging';
import { findSimilar, indexStatus, resultsText, searchCode, ToolInputError } from './mcpTools';
import { SEARCH_TOOL, SIMILAR_TOOL, STATUS_TOOL } from './toolSchemas';
import { VERSION } from '../version';

/** A tool's answer: the text, and the same as data; a ToolInputError (or anything else) as a one-line tool error. */
async function answer<T extends object>(work: () => Promise<T>, text: (t: T) => string) {
  try {
    const data = await work();
    return { content: [{ type: 'text' as const, text: text(data) }], structuredContent: data as Record<string, unknown> };
  } catch (e) {
    const message = e instanceof ToolInputError ? e.message : `The search failed: ${oneLine(e)}`;
    return { content: [{ type: 'text' as const, text: message }], isError: true };
  }
}

export function createMcpServer(service: IndexService): McpServer {
  const server = new McpServer({ name: 'semsearch', version: VERSION });
  const readOnly = { readOnlyHint: true };
  server.registerTool(
    SEARCH_TOOL.name,
    { title: SEARCH_TOOL.title, description: SEARCH_TOOL.description, inputSchema: SEARCH_TOOL.input, annotations: readOnly },
    args => answer(() => searchCode(service, args), resultsText),
  );
  server.registerTool(
    SIMILAR_TOOL.name,
    { title: SIMILAR_TOOL.title, description: SIMILAR_TOOL.description, inputSchema: SIMILAR_TOOL.input, annotations: readOnly },
    args => answer(() => findSimilar(service, args), resultsText),
  );
  server.registerTool(STATUS_TOOL.name, { title: STATUS_TOOL.title, description: STATUS_TOOL.description, annotations: readOnly }, () =>
    answer(
      async () => indexStatus(service),
      s => JSON.stringify(s, null, 1),
    ),
  );
  return server;
}
