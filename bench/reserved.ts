// The projects reserved for independent evaluation (reserved-projects.json): no quality benchmark and no
// training set may hold them, in any packaging. The tools that build those sets call refuseReserved() on
// every project they take and on every folder of what they unpack, so a vendored copy is caught too.

import * as fs from 'node:fs';
import * as path from 'node:path';
import list from './reserved-projects.json';

const RESERVED = new Set(list.names.map(n => n.toLowerCase()));

function reservedNames(): Set<string> {
  return RESERVED;
}

/** The names a package may be known by: as given, without its scope, and without Debian's and npm's wrappers. */
export function nameForms(name: string): string[] {
  const n = name.toLowerCase().replace(/^@[^/]+\//, '');
  const forms = new Set([n]);
  const stripped = n
    .replace(/^(python3?|node|golang-github-[^-]+|golang-[^-]+|golang|librust|ruby|php|lua|r-cran)-/, '')
    .replace(/-(dev|java|doc|rs|js|py|go)$/, '')
    .replace(/-\d[\w.]*$/, '');
  forms.add(stripped);
  forms.add(stripped.replace(/^lib/, ''));
  forms.add(n.replace(/\.(js|py|rs|go|net)$/, ''));
  return [...forms].filter(Boolean);
}

/** The reserved project a package name stands for, or undefined. */
export function reservedMatch(name: string): string | undefined {
  const names = reservedNames();
  return nameForms(name).find(f => names.has(f));
}

/** Throws one line when `name` (a project or package name) is reserved. */
export function refuseReserved(name: string, what = 'project'): void {
  const hit = reservedMatch(name);
  if (hit)
    throw new Error(`The ${what} "${name}" is reserved for independent evaluation (${hit}, bench/reserved-projects.json); choose another.`);
}

/** Throws one line naming the first folder under `root` whose name is a reserved project (a vendored copy). */
export function refuseReservedFolders(root: string): void {
  const names = reservedNames();
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (names.has(entry.name.toLowerCase())) {
        throw new Error(
          `${path.join(root, child)} looks like a vendored copy of the reserved project "${entry.name}"; exclude it in the project's "exclude" list.`,
        );
      }
      stack.push(child);
    }
  }
}
