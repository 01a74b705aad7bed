// Lua: `function M.f()`, `function M:m()`, `local function f()`, and multi-line `M.f = function() ... end`;
// names read "M.f" either way.

import { childOfType, nameText, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

/** `M:m` reads `M.m`; a Lua 5.4 attribute (`local f <const> = ...`) is not part of the name. */
function luaName(node: SyntaxNode | null): string {
  return nameText(node)
    .replace(/\s*<\w+>/g, '')
    .replace(/:/g, '.');
}

/** `x = function ... end` (also under `local`): a function named after its variable. */
function assignedFunction(node: SyntaxNode): DeclInfo | null {
  const assignment = node.type === 'variable_declaration' ? childOfType(node, 'assignment_statement') : node;
  if (!assignment || !spansLines(assignment)) return null;
  const values = childOfType(assignment, 'expression_list');
  if (values?.namedChildCount !== 1 || values.namedChildren[0]?.type !== 'function_definition') return null;
  return { kind: 'function', name: luaName(childOfType(assignment, 'variable_list')) };
}

function declaration(node: SyntaxNode): DeclInfo | null {
  switch (node.type) {
    case 'function_declaration':
      return { kind: 'function', name: luaName(node.childForFieldName('name')) };
    case 'assignment_statement':
    case 'variable_declaration':
      return assignedFunction(node);
    default:
      return null;
  }
}

export const luaSpec: LanguageSpec = { leading: new Set(['comment']), declaration };
