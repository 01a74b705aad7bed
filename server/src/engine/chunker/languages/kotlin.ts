// Kotlin: classes, interfaces, enums, objects, functions and multi-line properties. Annotations are inside the
// declaration's modifiers; a companion object passes through, so its members read "Class.member".

import { childOfType, fieldName, nameText, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const BODIES = new Set(['class_body', 'enum_class_body']);

/** `interface X`, `enum class X` and `class X` are all class_declaration. */
function classKind(node: SyntaxNode): string {
  if (node.children.some(c => c.type === 'interface')) return 'interface';
  const modifiers = childOfType(node, 'modifiers');
  return modifiers?.namedChildren.some(m => m.type === 'class_modifier' && m.text === 'enum') ? 'enum' : 'class';
}

function declaration(node: SyntaxNode): DeclInfo | null {
  switch (node.type) {
    case 'class_declaration':
      return { kind: classKind(node), name: fieldName(node), body: childOfType(node, BODIES) };
    case 'object_declaration':
      return { kind: 'object', name: fieldName(node), body: childOfType(node, BODIES) };
    case 'function_declaration':
      return { kind: 'function', name: fieldName(node) };
    case 'secondary_constructor':
      return { kind: 'constructor', name: 'constructor' };
    case 'property_declaration': {
      // One-line properties stay with the fields around them.
      if (!spansLines(node)) return null;
      const variable = childOfType(node, 'variable_declaration');
      return { kind: 'property', name: nameText(variable && (childOfType(variable, 'identifier') ?? variable)) };
    }
    default:
      return null;
  }
}

function passThrough(node: SyntaxNode): SyntaxNode | null {
  return node.type === 'companion_object' ? childOfType(node, 'class_body') : null;
}

export const kotlinSpec: LanguageSpec = { leading: new Set(['line_comment', 'block_comment']), declaration, passThrough };
