// Bash: function definitions (`name() { ... }` and `function name { ... }`); the commands between them are
// chunked as the lines they are.

import { fieldName, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

function declaration(node: SyntaxNode): DeclInfo | null {
  return node.type === 'function_definition' ? { kind: 'function', name: fieldName(node) } : null;
}

export const bashSpec: LanguageSpec = { leading: new Set(['comment']), declaration };
