// Small helpers over web-tree-sitter nodes shared by the language specs.

import type { Node } from 'web-tree-sitter';

export type SyntaxNode = Node;

/** What a language spec says about a node that is a declaration. */
export interface DeclInfo {
  kind: string;
  /** Unqualified name; the walker prefixes the enclosing declaration's symbol. */
  name: string;
  /** The node whose named children may hold inner declarations (a class body), if any. */
  body?: SyntaxNode | null;
}

export interface LanguageSpec {
  /** Node types that belong to the declaration directly below them: comments, decorators, attributes. */
  leading: ReadonlySet<string>;
  declaration(node: SyntaxNode): DeclInfo | null;
  /** A node whose children continue the current level (preprocessor blocks, extern "C"), or null. */
  passThrough?(node: SyntaxNode): SyntaxNode | null;
}

const MAX_NAME_CHARS = 120;

/** 0-based last row that holds text of the node; nodes that swallow their newline end at column 0 of the next row. */
export function lastRow(node: SyntaxNode): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row - 1 : end.row;
}

export function spansLines(node: SyntaxNode): boolean {
  return lastRow(node) > node.startPosition.row;
}

/** A name fit for a symbol: one line, bounded, without whitespace runs. */
export function nameText(node: SyntaxNode | null | undefined): string {
  if (!node) return '';
  // Read a bounded slice: a "name" can be a huge expression in malformed code.
  const text = node.endIndex - node.startIndex > MAX_NAME_CHARS * 4 ? node.text.slice(0, MAX_NAME_CHARS * 4) : node.text;
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_CHARS);
}

export function fieldName(node: SyntaxNode, field = 'name'): string {
  return nameText(node.childForFieldName(field));
}

/** The first named child of one of the given types. */
export function childOfType(node: SyntaxNode, types: ReadonlySet<string> | string): SyntaxNode | null {
  for (const c of node.namedChildren) {
    if (typeof types === 'string' ? c.type === types : types.has(c.type)) return c;
  }
  return null;
}

/** "Matrix<T>::transpose" -> "Matrix.transpose": template arguments dropped, scopes joined with dots. */
export function dottedName(name: string): string {
  let out = name;
  for (let prev = ''; prev !== out;) {
    prev = out;
    out = out.replace(/<[^<>]*>/g, '');
  }
  return out.replace(/\s+/g, '').replace(/::/g, '.').replace(/^\./, '');
}
