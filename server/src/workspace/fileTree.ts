// One level of a file list as a folder tree, for the health view: a workspace of 70,000 files opens as its
// top folders, each expanded on demand. A chain of folders holding nothing but one folder is shown as one
// row ("src/main/java/org"), as VS Code's explorer does with compact folders.

export interface TreeLevel<T extends { path: string }> {
  /** Sub-folders of `dir`, each with the number of files below it, by path. */
  dirs: { path: string; files: number }[];
  /** Files directly in `dir`, by path. */
  files: T[];
}

/** The level under `dir` ('' for the top, else a folder path without a trailing '/') of `files`. */
export function treeLevel<T extends { path: string }>(files: readonly T[], dir: string): TreeLevel<T> {
  const prefix = dir === '' ? '' : `${dir}/`;
  const direct: T[] = [];
  const below = new Map<string, string[]>(); // child folder name -> the rest of each path below it
  for (const f of files) {
    if (!f.path.startsWith(prefix)) continue;
    const rest = f.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) direct.push(f);
    else {
      const name = rest.slice(0, slash);
      let list = below.get(name);
      if (!list) below.set(name, (list = []));
      list.push(rest.slice(slash + 1));
    }
  }
  const dirs = [...below].map(([name, rests]) => ({ path: prefix + compact(name, rests), files: rests.length }));
  dirs.sort((a, b) => a.path.localeCompare(b.path));
  direct.sort((a, b) => a.path.localeCompare(b.path));
  return { dirs, files: direct };
}

/** `name` extended by every folder that is the only thing inside it. */
function compact(name: string, rests: string[]): string {
  let joined = name;
  for (;;) {
    const first = rests[0].indexOf('/');
    if (first < 0) return joined;
    const next = rests[0].slice(0, first);
    if (!rests.every(r => r.startsWith(`${next}/`))) return joined;
    joined += `/${next}`;
    for (let i = 0; i < rests.length; i++) rests[i] = rests[i].slice(next.length + 1);
  }
}
