// The benchmark's search queries, drawn from the kernel tree itself (no engine, no store: the store's format is
// changing, and the queries must not depend on what the index under test made of the files).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { allFiles } from './kernelCorpus';

// Kernel function definitions start a line with their type ("static int foo(...)"); calls and prototypes end in ';'.
const DEFINITION = /^(?:[a-z_][\w]*[\s*]+)+?\**([a-z_][a-z0-9_]{3,})\s*\([^;]*$/;
const NOT_A_NAME = new Set(['return', 'sizeof', 'while', 'switch', 'defined', 'typeof']);
// A comment line of prose: a few words, none of the license and authorship boilerplate every file opens with.
const COMMENT = /^\s*(?:\/\*+|\*|\/\/)\s+([A-Za-z][^*/]{18,110}?)\s*(?:\*\/)?$/;
const BOILERPLATE = /SPDX|copyright|licen[cs]e|GNU|https?:|@|author|\(c\)|warranty|merchantability|free software/i;

function middle<T>(items: T[]): T | undefined {
  return items[Math.floor(items.length / 2)];
}

function identifierOf(lines: string[]): string | undefined {
  return middle(
    lines.flatMap(l => {
      const m = DEFINITION.exec(l);
      return m && !NOT_A_NAME.has(m[1]) ? [m[1]] : [];
    }),
  );
}

function commentOf(lines: string[]): string | undefined {
  return middle(
    lines.flatMap(l => {
      const m = COMMENT.exec(l);
      return m && !BOILERPLATE.test(m[1]) && m[1].split(/\s+/).filter(w => /^[A-Za-z]{2,}/.test(w)).length >= 4 ? [m[1].trim()] : [];
    }),
  );
}

/**
 * `count` queries from the tree's own .c and .h files, taken from evenly spaced files, alternately a function
 * name (what a user types to find a definition) and a comment line (a short description in words). The same
 * tree gives the same queries. The store's files are never read for them: their format is changing.
 */
export function kernelQueries(root: string, count: number): { queries: string[]; identifiers: number } {
  const files = allFiles(root).filter(f => f.endsWith('.c') || f.endsWith('.h'));
  const step = Math.max(1, Math.floor(files.length / count));
  const seen = new Set<string>();
  let identifiers = 0;
  // More passes, each shifted by one file, when some files gave nothing (a small subset has few files).
  for (let pass = 0; pass < step && seen.size < count; pass++) {
    for (let i = pass; i < files.length && seen.size < count; i += step) {
      const lines = fs.readFileSync(path.join(root, ...files[i].split('/')), 'latin1').split('\n');
      const wantName = seen.size % 2 === 0;
      const name = identifierOf(lines),
        comment = commentOf(lines);
      const q = wantName ? (name ?? comment) : (comment ?? name);
      if (!q || seen.has(q)) continue;
      seen.add(q);
      if (q === name) identifiers++;
    }
  }
  return { queries: [...seen], identifiers };
}
