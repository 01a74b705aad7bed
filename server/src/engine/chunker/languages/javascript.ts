// TypeScript, TSX and JavaScript (with JSX): one spec, since the grammars share node types.

import { fieldName, nameText, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const FUNCTION_VALUES = new Set(['arrow_function', 'function', 'function_expression', 'generator_function']);

/** `x = () => ...` or `x = class {...}`: the value makes the binding a function or class. */
function fromValue(value: SyntaxNode | null, name: string): DeclInfo | null {
  if (!value) return null;
  if (FUNCTION_VALUES.has(value.type)) return { kind: 'function', name };
  if (value.type === 'class') return { kind: 'class', name, body: value.childForFieldName('body') };
  return null;
}

/** const/let/var: functions and classes by their value; other multi-line bindings (big tables) as variables. */
function variable(node: SyntaxNode): DeclInfo | null {
  const first = node.namedChildren.find(c => c.type === 'variable_declarator');
  const nameNode = first?.childForFieldName('name');
  if (!first || !nameNode) return null;
  const name = nameText(nameNode);
  const decl = fromValue(first.childForFieldName('value'), name);
  if (decl) return decl;
  return nameNode.type === 'identifier' && spansLines(node) ? { kind: 'variable', name } : null;
}

/** The grammar reads a namespace nested in a block as an expression statement. Beyond that:
 *  `Foo.prototype.bar = function () {...}` and `module.exports.x = class {...}`, when they span lines. */
function expressionStatement(node: SyntaxNode): DeclInfo | null {
  const expr = node.firstNamedChild;
  if (expr?.type === 'internal_module') return declaration(expr);
  if (expr?.type !== 'assignment_expression' || !spansLines(node)) return null;
  return fromValue(expr.childForFieldName('right'), fieldName(expr, 'left'));
}

function declaration(node: SyntaxNode): DeclInfo | null {
  switch (node.type) {
    case 'export_statement': {
      const inner = node.childForFieldName('declaration');
      if (inner) return declaration(inner);
      const value = node.childForFieldName('value');
      return fromValue(value, (value && fieldName(value)) || 'default');
    }
    case 'ambient_declaration':
      for (const c of node.namedChildren) {
        if (c.type === 'statement_block') return { kind: 'namespace', name: 'global', body: c };
        const inner = declaration(c);
        if (inner) return inner;
      }
      return null;
    case 'function_declaration':
    case 'generator_function_declaration':
    case 'function_signature':
    case 'method_definition':
    case 'method_signature':
    case 'abstract_method_signature':
      return { kind: 'function', name: fieldName(node) };
    case 'public_field_definition':
    case 'field_definition':
      return fromValue(node.childForFieldName('value'), fieldName(node) || fieldName(node, 'property'));
    case 'class_declaration':
    case 'abstract_class_declaration':
      return { kind: 'class', name: fieldName(node) || 'default', body: node.childForFieldName('body') };
    case 'interface_declaration':
      return { kind: 'interface', name: fieldName(node) };
    case 'type_alias_declaration':
      return { kind: 'type', name: fieldName(node) };
    case 'enum_declaration':
      return { kind: 'enum', name: fieldName(node) };
    case 'internal_module':
      return { kind: 'namespace', name: fieldName(node), body: node.childForFieldName('body') };
    case 'module':
      // `declare module 'fs'`: the name without its quotes.
      return { kind: 'module', name: fieldName(node).replace(/^['"]|['"]$/g, ''), body: node.childForFieldName('body') };
    case 'lexical_declaration':
    case 'variable_declaration':
      return variable(node);
    case 'expression_statement':
      return expressionStatement(node);
    default:
      return null;
  }
}

export const javascriptSpec: LanguageSpec = {
  leading: new Set(['comment', 'decorator']),
  declaration,
};
