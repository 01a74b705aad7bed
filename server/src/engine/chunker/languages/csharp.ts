// C#: namespaces (block and file-scoped), types and their members. Attributes are inside declarations.

import { fieldName, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const TYPE_KINDS: Record<string, string> = {
  class_declaration: 'class',
  record_declaration: 'record',
  record_struct_declaration: 'record',
  struct_declaration: 'struct',
  interface_declaration: 'interface',
  enum_declaration: 'enum',
};

const MEMBER_KINDS: Record<string, string> = {
  method_declaration: 'method',
  constructor_declaration: 'constructor',
  destructor_declaration: 'method',
  operator_declaration: 'method',
  conversion_operator_declaration: 'method',
  local_function_statement: 'function',
  delegate_declaration: 'type',
};

function declaration(node: SyntaxNode): DeclInfo | null {
  const typeKind = TYPE_KINDS[node.type];
  if (typeKind) return { kind: typeKind, name: fieldName(node), body: node.childForFieldName('body') };
  const memberKind = MEMBER_KINDS[node.type];
  if (memberKind) return { kind: memberKind, name: fieldName(node) || node.type.replace(/_declaration$/, '') };
  switch (node.type) {
    case 'namespace_declaration':
      return { kind: 'namespace', name: fieldName(node), body: node.childForFieldName('body') };
    case 'file_scoped_namespace_declaration':
      // The namespace's members are its own children.
      return { kind: 'namespace', name: fieldName(node), body: node };
    case 'property_declaration':
    case 'indexer_declaration':
      // One-line auto-properties stay with the fields around them.
      return spansLines(node) ? { kind: 'property', name: fieldName(node) || 'this' } : null;
    default:
      return null;
  }
}

export const csharpSpec: LanguageSpec = { leading: new Set(['comment']), declaration };
