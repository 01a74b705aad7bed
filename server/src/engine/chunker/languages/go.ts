// Go: functions, methods (named Receiver.method), type declarations, and multi-line var/const blocks.

import { childOfType, fieldName, nameText, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const TYPE_KINDS: Record<string, string> = { struct_type: 'struct', interface_type: 'interface' };

/** `(s *Store)` -> "Store"; generic receivers `(l *List[T])` -> "List". */
function receiverType(node: SyntaxNode): string {
  let type = node.childForFieldName('receiver')?.firstNamedChild?.childForFieldName('type') ?? null;
  while (type && type.type !== 'type_identifier') {
    type = type.childForFieldName('type') ?? type.firstNamedChild;
  }
  return nameText(type);
}

function typeDeclaration(node: SyntaxNode): DeclInfo | null {
  const spec = childOfType(node, new Set(['type_spec', 'type_alias']));
  if (!spec) return null;
  const type = spec.childForFieldName('type');
  return { kind: (type && TYPE_KINDS[type.type]) || 'type', name: fieldName(spec) };
}

function declaration(node: SyntaxNode): DeclInfo | null {
  switch (node.type) {
    case 'function_declaration':
      return { kind: 'function', name: fieldName(node) };
    case 'method_declaration': {
      const receiver = receiverType(node);
      return { kind: 'method', name: receiver ? `${receiver}.${fieldName(node)}` : fieldName(node) };
    }
    case 'type_declaration':
      return typeDeclaration(node);
    case 'const_declaration':
    case 'var_declaration': {
      const spec = childOfType(node, new Set(['const_spec', 'var_spec']));
      return spec && spansLines(node) ? { kind: 'variable', name: fieldName(spec) } : null;
    }
    default:
      return null;
  }
}

export const goSpec: LanguageSpec = { leading: new Set(['comment']), declaration };
