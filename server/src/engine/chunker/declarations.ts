// Walks a syntax tree into a plain tree of declarations (line ranges with names), so the tree can be freed
// before any chunk is built.

import { CLASS_LIKE_KINDS } from './languages';
import { lastRow, type LanguageSpec, type SyntaxNode } from './syntax';

export interface Decl {
  start: number; // 0-based first row, including leading comments/decorators/attributes
  end: number; // 0-based last row
  kind: string;
  symbol: string; // qualified: "Class.method"
  children: Decl[]; // inner declarations, used only when the declaration is over budget
}

interface Level {
  parent: Decl | null;
  /** Rows up to here belong to the parent's header or an earlier sibling; nothing may start there. */
  floor: number;
  /** A comment on this row or earlier trails the previous node rather than leading the next one. */
  prevEnd: number;
}

/** The declarations directly under a root node (program, module, translation unit). */
export function collectDeclarations(root: SyntaxNode, spec: LanguageSpec): Decl[] {
  return collectLevel(root, spec, { parent: null, floor: 0, prevEnd: -1 });
}

function collectLevel(container: SyntaxNode, spec: LanguageSpec, level: Level): Decl[] {
  const out: Decl[] = [];
  let leadStart = -1; // first row of the run of leading comments right above the current node
  let leadEnd = -1;
  for (const node of flatten(container, spec)) {
    const row = node.startPosition.row;
    if (spec.leading.has(node.type)) {
      const continues = leadStart >= 0 && row <= leadEnd + 1;
      if (row > level.prevEnd) {
        if (!continues) leadStart = row;
        leadEnd = lastRow(node);
      } else {
        leadStart = -1;
      }
      continue;
    }
    const info = spec.declaration(node);
    const end = lastRow(node);
    // A declaration without a name is debris from a parse error; its lines stay with the code around it.
    if (info?.name) {
      const attached = leadStart >= 0 && leadEnd >= row - 1 ? leadStart : row;
      const start = Math.max(attached, level.floor);
      if (start <= end) {
        const decl = makeDecl(info.kind, info.name, start, end, level.parent);
        if (info.body) decl.children = collectLevel(info.body, spec, { parent: decl, floor: start, prevEnd: row });
        out.push(decl);
        level.floor = end + 1;
      }
    }
    level.prevEnd = Math.max(level.prevEnd, end);
    leadStart = -1;
  }
  return out;
}

function makeDecl(kind: string, name: string, start: number, end: number, parent: Decl | null): Decl {
  const inClass = parent !== null && CLASS_LIKE_KINDS.has(parent.kind);
  return {
    start,
    end,
    kind: kind === 'function' && inClass ? 'method' : kind,
    symbol: parent?.symbol && name ? `${parent.symbol}.${name}` : name || parent?.symbol || '',
    children: [],
  };
}

/** Named children, looking through pass-through nodes and parse errors (declarations survive inside ERROR). */
function flatten(container: SyntaxNode, spec: LanguageSpec): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const node of container.namedChildren) {
    const inner = node.type === 'ERROR' ? node : spec.passThrough?.(node);
    if (inner && inner !== container) out.push(...flatten(inner, spec));
    else out.push(node);
  }
  return out;
}
