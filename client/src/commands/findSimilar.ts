import * as vscode from 'vscode';
import type { SimilarSource } from '../../../common/similarExclusion';

/** Long selections still make a usable query: the server embeds at most one chunk's token budget anyway. */
const MAX_QUERY_CHARS = 4000;

/** The query "Find Similar Code" pre-fills: the selection, or the cursor's line(s) when nothing is selected.
 *  Whitespace is collapsed because the Quick Pick input is a single line (it would drop newlines itself and
 *  echo back a different value). */
export function similarQuery(editor: vscode.TextEditor | undefined): string {
  if (!editor) return '';
  const parts = editor.selections.map(selection =>
    selection.isEmpty ? editor.document.lineAt(selection.active.line).text : editor.document.getText(selection),
  );
  return parts.join(' ').replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_CHARS);
}

/** The lines Find Similar starts from (the first selection, or the cursor's line), to leave out of its results. */
export function similarSource(editor: vscode.TextEditor | undefined): SimilarSource | undefined {
  if (!editor) return undefined;
  const { start, end } = editor.selection;
  // A selection of whole lines ends at column 0 of the line after them, which is not part of it.
  const endLine = end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
  return { uri: editor.document.uri.toString(), startLine: start.line, endLine };
}
