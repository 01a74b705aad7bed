// The agent tools' names, descriptions and argument schemas, declared once: the MCP server registers them,
// and `npm run settings:manifest` writes the search tool into package.json as VS Code's language-model tool
// (languageModelToolsManifest), checked for drift by test/unit/settingsManifest.test.ts. The descriptions
// are written for an agent deciding between this and grep.

import * as z from 'zod';
import { DEFAULT_TOOL_K } from '../../../common/agentText';
import { SEARCH_TOOL_ID } from '../../../common/protocol';
import { SEARCH_MODES } from '../../../common/settings';
import { MAX_QUERY_CHARS } from '../engine';

/** The most results a tool returns: an agent's context is better spent on the best few. */
export const MAX_TOOL_K = 50;

export const SEARCH_TOOL = {
  name: 'search_code',
  title: 'Search code',
  description: [
    'Search this codebase by meaning and by words at once, from a local index kept up to date as files change.',
    'Use it instead of grep when you know what the code does but not what it is called ("where are failed uploads retried",',
    '"parse the config file", "the function that frees a request"), to find where a concept lives, or to see a pattern\'s other uses;',
    'identifiers work too (an exact name ranks its definition first). Use grep for an exact string when you need every occurrence.',
    'Returns up to k chunks (a function, a class or a section): path:lines, symbol, score, why it matched, and its first lines.',
  ].join(' '),
  input: z.object({
    query: z
      .string()
      .describe(`What to look for: words describing the code, an identifier, or a code excerpt (at most ${MAX_QUERY_CHARS} characters).`),
    k: z.number().int().min(1).max(MAX_TOOL_K).optional().describe(`How many results, 1 to ${MAX_TOOL_K} (default ${DEFAULT_TOOL_K}).`),
    mode: z.enum(SEARCH_MODES).optional().describe('hybrid (default): words and meaning; lexical: words only; semantic: meaning only.'),
    path: z
      .string()
      .optional()
      .describe('Only paths matching this gitignore-style glob, relative to the folder: "src/**", "*.py", "/lib/*.ts".'),
    folder: z.string().optional().describe('The folder to search (its name or path) when several are open; default all.'),
  }),
};

export const SIMILAR_TOOL = {
  name: 'find_similar',
  title: 'Find similar code',
  description: [
    'Find code that does the same as the given lines of a file (copies, near-duplicates, the other implementations of a pattern),',
    'by meaning. The given lines themselves are left out. Use it before changing one copy of something that may exist several times.',
  ].join(' '),
  input: z.object({
    path: z.string().describe('The file, relative to its folder (or absolute).'),
    startLine: z.number().int().min(1).describe('The first line of the code, from 1.'),
    endLine: z.number().int().min(1).optional().describe('Its last line (default: startLine).'),
    k: z.number().int().min(1).max(MAX_TOOL_K).optional().describe(`How many results, 1 to ${MAX_TOOL_K} (default ${DEFAULT_TOOL_K}).`),
    folder: z.string().optional().describe('The folder the file is in, when several are open.'),
  }),
};

export const STATUS_TOOL = {
  name: 'index_status',
  title: 'Index status',
  description:
    "The index's state (indexing, idle, error), its files indexed and skipped by reason, chunks and model. " +
    'Call it when a search finds nothing you expected, or to know whether results are still partial.',
};

/** package.json's contributes.languageModelTools: the search tool, as VS Code's agents see it. */
export function languageModelToolsManifest(): Record<string, unknown>[] {
  // The schema's own "$schema" key is zod's; VS Code reads the rest.
  const inputSchema = z.toJSONSchema(SEARCH_TOOL.input) as Record<string, unknown>;
  delete inputSchema.$schema;
  return [
    {
      name: SEARCH_TOOL_ID,
      toolReferenceName: 'semsearch',
      displayName: 'Semsearch: Search Code',
      userDescription: "Search this workspace's code by meaning and by words, from the local index.",
      modelDescription: SEARCH_TOOL.description,
      canBeReferencedInPrompt: true,
      icon: '$(search)',
      inputSchema,
    },
  ];
}
