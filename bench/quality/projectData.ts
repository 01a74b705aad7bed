// The retrieval-quality benchmark's data: one JSON file per project in bench/quality/projects/, holding where
// its code comes from (a package reachable here, pinned) and the queries written for it, each with the files
// that answer it. See bench/quality/README.md for the format and how queries were written.

import * as fs from 'node:fs';
import * as path from 'node:path';

export type Category = 'semantic' | 'architecture' | 'symbol';

export type ProjectSource =
  /** `npm pack <package>@<version>`; root is inside the tarball (usually "package"). */
  | { kind: 'npm'; package: string; version: string; root: string }
  /** `apt-get download <package>=<version>`, unpacked with dpkg-deb; root is inside the package's files. */
  | { kind: 'deb'; package: string; version: string; root: string }
  /** Debian's source package (`apt-get source`): the upstream tarball, root inside its top folder. */
  | { kind: 'deb-src'; package: string; version: string; root: string };

export interface Query {
  id: string;
  category: Category;
  query: string;
  /** Files that answer the query, relative to the project's corpus folder. */
  relevant: string[];
}

export interface Project {
  name: string;
  language: string;
  licence: string;
  source: ProjectSource;
  /** gitignore-style patterns removed from the corpus after unpacking (tests of the packaging, vendored code). */
  exclude?: string[];
  provenance: string;
  queries: Query[];
}

export const PROJECTS_DIR = path.join(__dirname, '..', 'bench', 'quality', 'projects');

export function loadProjects(dir = PROJECTS_DIR): Project[] {
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .sort()
    .map(f => {
      const p = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Project;
      if (`${p.name}.json` !== f) throw new Error(`${f}: its "name" is ${p.name}; name the file after the project.`);
      return p;
    });
}
