import * as vscode from 'vscode';
import type { SearchResultItem } from '../../../common/protocol';

export interface SearchPickItem extends vscode.QuickPickItem {
  result: SearchResultItem;
}

/** Chunk kinds the chunker emits -> product icons; anything new falls back to a generic symbol. */
const KIND_ICONS: Record<string, string> = {
  function: 'symbol-function',
  method: 'symbol-method',
  constructor: 'symbol-constructor',
  class: 'symbol-class',
  interface: 'symbol-interface',
  trait: 'symbol-interface',
  impl: 'symbol-structure',
  enum: 'symbol-enum',
  type: 'symbol-structure',
  namespace: 'symbol-namespace',
  module: 'symbol-module',
  variable: 'symbol-variable',
  property: 'symbol-property',
  macro: 'symbol-constant',
  lines: 'symbol-text',
};

const SNIPPET_CHARS = 160;

export function toPickItem(result: SearchResultItem): SearchPickItem {
  const icon = KIND_ICONS[result.kind] ?? 'symbol-misc';
  const line = result.range.start.line + 1;
  // Line windows have no symbol: the file name and lines say where they are.
  const name = result.symbol || `${result.path.slice(result.path.lastIndexOf('/') + 1)} lines ${line}–${result.range.end.line + 1}`;
  return {
    label: `$(${icon}) ${name}`,
    description: [`${result.path}:${line}  ${result.score.toFixed(2)}`, whyText(result)].filter(Boolean).join('  ·  '),
    detail: oneLine(result.snippet),
    // The Quick Pick would hide items whose label does not fuzzy-match the typed query; the server ranks them.
    alwaysShow: true,
    result,
  };
}

/**
 * Which side found it and the words it matched, e.g. "words + meaning: parse, args"; the Quick Pick API has no
 * highlights for descriptions, so the matched terms are spelled out.
 */
export function whyText(result: SearchResultItem): string {
  const { lexical, semantic } = result.why ?? { boosts: [] };
  const sides = [lexical && 'words', semantic && 'meaning'].filter(Boolean).join(' + ');
  const terms = lexical?.terms.length ? `: ${lexical.terms.slice(0, 5).join(', ')}` : '';
  const copies = result.alsoIn?.length ? `  ·  also in ${result.alsoIn.length} file${result.alsoIn.length === 1 ? '' : 's'}` : '';
  return `${sides}${terms}${copies}`;
}

function oneLine(snippet: string): string {
  const text = snippet.replace(/\s+/g, ' ').trim();
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1)}…` : text;
}

/** Opens the result's file with its range selected and revealed in the center. */
export async function openResult(result: SearchResultItem): Promise<void> {
  const { start, end } = result.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(result.uri), { selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
}
