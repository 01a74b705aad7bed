// Python: functions and classes; decorators come with their definition (decorated_definition).

import { fieldName, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

function declaration(node: SyntaxNode): DeclInfo | null {
  switch (node.type) {
    case 'decorated_definition': {
      const inner = node.childForFieldName('definition');
      return inner ? declaration(inner) : null;
    }
    case 'function_definition':
      return { kind: 'function', name: fieldName(node) };
    case 'class_definition':
      return { kind: 'class', name: fieldName(node), body: node.childForFieldName('body') };
    default:
      return null;
  }
}

export const pythonSpec: LanguageSpec = { leading: new Set(['comment']), declaration };
