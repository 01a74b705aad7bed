// C and C++: function definitions, types with bodies, namespaces and templates. Preprocessor conditionals
// and extern "C" blocks are looked through, so header guards do not hide a header's declarations.

import { dottedName, fieldName, nameText, spansLines, type DeclInfo, type LanguageSpec, type SyntaxNode } from '../syntax';

const SPECIFIER_KINDS: Record<string, string> = {
  struct_specifier: 'struct',
  union_specifier: 'struct',
  class_specifier: 'class',
  enum_specifier: 'enum',
};

const PASS_THROUGH = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);

/** Follows declarator fields (pointers, references) down to the function's name. */
function functionName(node: SyntaxNode): string {
  let d = node.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator') ?? d.firstNamedChild;
  return dottedName(nameText(d?.childForFieldName('declarator')));
}

/** A struct/class/enum with a body, named by the specifier or, for typedefs, by the declarator. */
function typeWithBody(specifier: SyntaxNode | null, typedefName: string): DeclInfo | null {
  const kind = specifier && SPECIFIER_KINDS[specifier.type];
  const body = specifier?.childForFieldName('body');
  if (!specifier || !kind || !body) return null;
  const name = typedefName || dottedName(fieldName(specifier));
  return { kind, name: name || 'anonymous', body: kind === 'enum' ? null : body };
}

function declaration(node: SyntaxNode): DeclInfo | null {
  if (SPECIFIER_KINDS[node.type]) return typeWithBody(node, '');
  switch (node.type) {
    case 'function_definition': {
      const name = functionName(node);
      return { kind: name.includes('.') ? 'method' : 'function', name };
    }
    case 'type_definition':
      return typeWithBody(node.childForFieldName('type'), fieldName(node, 'declarator'));
    case 'declaration':
    case 'field_declaration':
      return typeWithBody(node.childForFieldName('type'), '');
    case 'namespace_definition':
      return { kind: 'namespace', name: dottedName(fieldName(node)) || 'anonymous', body: node.childForFieldName('body') };
    case 'template_declaration': {
      const inner = node.namedChildren.find(c => c.type !== 'template_parameter_list');
      return inner ? declaration(inner) : null;
    }
    case 'preproc_function_def':
      return spansLines(node) ? { kind: 'macro', name: fieldName(node) } : null;
    default:
      return null;
  }
}

export const cLikeSpec: LanguageSpec = {
  leading: new Set(['comment']),
  declaration,
  passThrough(node) {
    if (PASS_THROUGH.has(node.type)) return node;
    if (node.type === 'linkage_specification') {
      const body = node.childForFieldName('body');
      return body?.type === 'declaration_list' ? body : null;
    }
    return null;
  },
};
