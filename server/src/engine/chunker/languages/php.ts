// PHP: classes, interfaces, traits, enums, their methods, and functions; braced namespaces name their members.
// Attributes (#[...]) are inside the declaration they qualify.

import { childOfType, fieldName, nameText, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const TYPE_KINDS: Record<string, string> = {
  class_declaration: 'class',
  interface_declaration: 'interface',
  trait_declaration: 'trait',
  enum_declaration: 'enum',
};

const ELEMENTS = new Set(['property_element', 'const_element']);
const NAMES = new Set(['variable_name', 'name']);

function declaration(node: SyntaxNode): DeclInfo | null {
  const typeKind = TYPE_KINDS[node.type];
  if (typeKind) return { kind: typeKind, name: fieldName(node), body: node.childForFieldName('body') };
  switch (node.type) {
    case 'function_definition':
      return { kind: 'function', name: fieldName(node) };
    case 'method_declaration':
      return { kind: 'method', name: fieldName(node) };
    case 'namespace_definition': {
      // `namespace A\B;` is one statement before its members; only the braced form holds them (and the
      // unnamed `namespace { }` passes through: passThrough below).
      const body = node.childForFieldName('body');
      const name = fieldName(node).replace(/\\/g, '.');
      return body && name ? { kind: 'namespace', name, body } : null;
    }
    case 'property_declaration':
    case 'const_declaration': {
      // One-line properties and constants stay with the members around them.
      if (!spansLines(node)) return null;
      const element = childOfType(node, ELEMENTS);
      return { kind: 'property', name: nameText(element && childOfType(element, NAMES)) };
    }
    default:
      return null;
  }
}

/** The global namespace's braces, `namespace { ... }`: its members are top-level declarations. */
function passThrough(node: SyntaxNode): SyntaxNode | null {
  return node.type === 'namespace_definition' && !node.childForFieldName('name') ? node.childForFieldName('body') : null;
}

export const phpSpec: LanguageSpec = { leading: new Set(['comment']), declaration, passThrough };
