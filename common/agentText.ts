// Search results as an AI agent reads them, for both of its doors: the MCP server's tools and the VS Code
// language-model tool. A hit is 1-based lines (not the protocol's 0-based range) and a one-phrase reason;
// the text is a line per hit (where, what, score, why), then the hit's first lines, indented.

import type { MatchWhy, SearchResultItem } from './protocol';

/** How many results an agent gets when it does not say. */
export const DEFAULT_TOOL_K = 10;

export interface AgentHit {
  /** The folder's name, when more than one is searched. */
  folder?: string;
  path: string;
  startLine: number;
  endLine: number;
  symbol: string;
  kind: string;
  score: number;
  /** Why it matched: its rank by words (with the query words it holds), by meaning, the rules that moved it. */
  why: string;
  snippet: string;
}

export function agentHit(r: SearchResultItem, folder?: string): AgentHit {
  return {
    ...(folder ? { folder } : {}),
    // The protocol's range ends at the start of the line after the last one.
    path: r.path,
    startLine: r.range.start.line + 1,
    endLine: r.range.end.line,
    symbol: r.symbol,
    kind: r.kind,
    score: r.score,
    why: whyText(r.why),
    snippet: r.snippet,
  };
}

export function whyText(why: MatchWhy): string {
  const parts: string[] = [];
  if (why.lexical) parts.push(`words #${why.lexical.rank}${why.lexical.terms.length ? ` (${why.lexical.terms.join(', ')})` : ''}`);
  if (why.semantic) parts.push(`meaning #${why.semantic.rank}`);
  if (why.boosts.length) parts.push(why.boosts.join(', '));
  return parts.join('; ') || 'matched';
}

/** `partial`: a full run is still under way, so results come from what is indexed so far. */
export function agentText(hits: AgentHit[], partial: boolean): string {
  if (hits.length === 0) return partial ? 'No results yet: the folder is still being indexed; try again shortly.' : 'No results.';
  const blocks = hits.map((h, i) => {
    const where = `${h.folder ? `${h.folder}/` : ''}${h.path}:${h.startLine}-${h.endLine}`;
    const what = h.symbol ? ` ${h.symbol} (${h.kind})` : ` (${h.kind})`;
    const code = h.snippet
      .split('\n')
      .map(l => `    ${l}`)
      .join('\n');
    return `${i + 1}. ${where}${what} score ${h.score.toFixed(3)}; ${h.why}\n${code}`;
  });
  return (partial ? 'Partial: the folder is still being indexed.\n\n' : '') + blocks.join('\n\n');
}
