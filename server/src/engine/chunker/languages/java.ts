// Java: types and their members. Annotations are part of a declaration's modifiers already.

import { fieldName, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const TYPE_KINDS: Record<string, string> = {
  class_declaration: 'class',
  record_declaration: 'record',
  interface_declaration: 'interface',
  annotation_type_declaration: 'interface',
  enum_declaration: 'enum',
};

function declaration(node: SyntaxNode): DeclInfo | null {
  const typeKind = TYPE_KINDS[node.type];
  if (typeKind) return { kind: typeKind, name: fieldName(node), body: node.childForFieldName('body') };
  switch (node.type) {
    case 'method_declaration':
      return { kind: 'method', name: fieldName(node) };
    case 'constructor_declaration':
    case 'compact_constructor_declaration':
      return { kind: 'constructor', name: fieldName(node) };
    default:
      return null;
  }
}

export const javaSpec: LanguageSpec = {
  leading: new Set(['line_comment', 'block_comment']),
  declaration,
  // An enum's methods sit in enum_body_declarations after the constants.
  passThrough: node => (node.type === 'enum_body_declarations' ? node : null),
};
