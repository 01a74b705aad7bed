// Scala 2 and 3: classes, traits, objects, enums, givens, their defs, and multi-line vals. Annotations are
// inside the definition; a package with a body (braced or indented) passes through.

import { fieldName, nameText, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const TYPE_KINDS: Record<string, string> = {
  class_definition: 'class',
  trait_definition: 'trait',
  object_definition: 'object',
  enum_definition: 'enum',
  given_definition: 'object',
};

function declaration(node: SyntaxNode): DeclInfo | null {
  const typeKind = TYPE_KINDS[node.type];
  if (typeKind) return { kind: typeKind, name: fieldName(node) || 'given', body: node.childForFieldName('body') };
  switch (node.type) {
    case 'function_definition':
    case 'function_declaration':
      return { kind: 'function', name: fieldName(node) };
    case 'val_definition':
    case 'var_definition':
      // One-line vals stay with the code around them.
      return spansLines(node) ? { kind: 'variable', name: nameText(node.childForFieldName('pattern')) } : null;
    default:
      return null;
  }
}

function passThrough(node: SyntaxNode): SyntaxNode | null {
  return node.type === 'package_clause' ? node.childForFieldName('body') : null;
}

export const scalaSpec: LanguageSpec = { leading: new Set(['comment', 'block_comment']), declaration, passThrough };
