// Ruby: modules, classes and methods. A module's or class's leading comments sit beside its body_statement
// rather than inside it, so the node itself is the body and body_statement passes through; `class << self`
// passes through too, so its methods read "Class.method". `private def x` is the method x.

import { dottedName, fieldName, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const METHODS = new Set(['method', 'singleton_method']);

/** `private def x`, `ruby2_keywords def method_missing`: a receiverless call whose one argument is a method. */
function modifiedMethod(node: SyntaxNode): DeclInfo | null {
  const args = node.childForFieldName('arguments');
  if (node.childForFieldName('receiver') || args?.namedChildCount !== 1) return null;
  const method = args.namedChildren[0];
  return method && METHODS.has(method.type) ? { kind: 'function', name: fieldName(method) } : null;
}

function declaration(node: SyntaxNode): DeclInfo | null {
  switch (node.type) {
    case 'module':
      return { kind: 'module', name: dottedName(fieldName(node)), body: node };
    case 'class':
      return { kind: 'class', name: dottedName(fieldName(node)), body: node };
    case 'method':
    case 'singleton_method':
      return { kind: 'function', name: fieldName(node) };
    case 'call':
      return modifiedMethod(node);
    default:
      return null;
  }
}

function passThrough(node: SyntaxNode): SyntaxNode | null {
  if (node.type === 'body_statement') return node;
  if (node.type === 'singleton_class') return node.childForFieldName('body');
  return null;
}

export const rubySpec: LanguageSpec = { leading: new Set(['comment']), declaration, passThrough };
