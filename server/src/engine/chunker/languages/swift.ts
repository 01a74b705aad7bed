// Swift: classes, structs, enums, actors, extensions and protocols (all but protocols are class_declaration,
// told apart by their keyword), their members and functions. Attributes are inside the declaration's modifiers.

import { fieldName, nameText, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const TYPE_KINDS: Record<string, string> = { class: 'class', struct: 'struct', enum: 'enum', actor: 'class', extension: 'extension' };

const MEMBER_KINDS: Record<string, [kind: string, name?: string]> = {
  function_declaration: ['function'],
  protocol_function_declaration: ['function'],
  init_declaration: ['constructor', 'init'],
  deinit_declaration: ['method', 'deinit'],
  subscript_declaration: ['method', 'subscript'],
};

function declaration(node: SyntaxNode): DeclInfo | null {
  const member = MEMBER_KINDS[node.type];
  if (member) return { kind: member[0], name: member[1] ?? fieldName(node) };
  switch (node.type) {
    case 'class_declaration': {
      const keyword = node.childForFieldName('declaration_kind')?.text ?? 'class';
      return { kind: TYPE_KINDS[keyword] ?? 'class', name: fieldName(node), body: node.childForFieldName('body') };
    }
    case 'protocol_declaration':
      return { kind: 'interface', name: fieldName(node), body: node.childForFieldName('body') };
    case 'property_declaration': {
      // Stored one-line properties stay with the fields around them; computed ones are members.
      if (!spansLines(node)) return null;
      const pattern = node.childForFieldName('name');
      return { kind: 'property', name: nameText(pattern?.childForFieldName('bound_identifier') ?? pattern) };
    }
    default:
      return null;
  }
}

export const swiftSpec: LanguageSpec = { leading: new Set(['comment', 'multiline_comment']), declaration };
