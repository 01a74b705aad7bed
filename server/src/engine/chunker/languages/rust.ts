// Rust: items. impl blocks are named after their type so their methods read "Type.method".

import { fieldName, nameText, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const SIMPLE_KINDS: Record<string, string> = {
  function_item: 'function',
  function_signature_item: 'function',
  struct_item: 'struct',
  union_item: 'struct',
  enum_item: 'enum',
  type_item: 'type',
  macro_definition: 'macro',
};

/** `impl<T> Display for Wrapper<T>` -> "Wrapper". */
function implName(node: SyntaxNode): string {
  let type = node.childForFieldName('type');
  while (type && (type.type === 'generic_type' || type.type === 'reference_type')) type = type.childForFieldName('type');
  return nameText(type);
}

function declaration(node: SyntaxNode): DeclInfo | null {
  const simple = SIMPLE_KINDS[node.type];
  if (simple) return { kind: simple, name: fieldName(node) };
  switch (node.type) {
    case 'impl_item':
      return { kind: 'impl', name: implName(node), body: node.childForFieldName('body') };
    case 'trait_item':
      return { kind: 'trait', name: fieldName(node), body: node.childForFieldName('body') };
    case 'mod_item':
      return { kind: 'module', name: fieldName(node), body: node.childForFieldName('body') };
    case 'const_item':
    case 'static_item':
      return spansLines(node) ? { kind: 'variable', name: fieldName(node) } : null;
    default:
      return null;
  }
}

export const rustSpec: LanguageSpec = {
  leading: new Set(['line_comment', 'block_comment', 'attribute_item']),
  declaration,
};
