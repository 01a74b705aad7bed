// .gitignore rules as git applies them: each file's patterns are relative to the folder holding it, and a
// deeper file overrides a shallower one. Re-including a file inside an ignored folder is impossible in git
// too; here it falls out naturally because the walk never enters an ignored folder.
import ignore from 'ignore';

// Git follows the file system: case-sensitive on Linux, case-insensitive by default on macOS and Windows.
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

interface Layer {
  base: string; // '' for the root, otherwise the folder path with a trailing '/'
  rules: ignore.Ignore;
}

/** Verdict of one rule set on a path: a positive match, a negative (re-include) match, or none. */
type Verdict = 'ignored' | 'unignored' | 'none';

function verdict(rules: ignore.Ignore, path: string): Verdict {
  try {
    const result = rules.test(path);
    return result.ignored ? 'ignored' : result.unignored ? 'unignored' : 'none';
  } catch {
    // `ignore` rejects names it cannot treat as relative (such as '..'); no pattern could match them.
    return 'none';
  }
}

/** The .gitignore files in effect for one folder. Immutable: a subfolder gets a new instance. */
export class GitignoreRules {
  static readonly none = new GitignoreRules([]);

  private constructor(private readonly layers: readonly Layer[]) {}

  /** These rules plus a .gitignore found in the folder `base` ('' or 'a/b/'). */
  withFile(base: string, content: string): GitignoreRules {
    const rules = ignore({ ignorecase: IGNORE_CASE }).add(content);
    return new GitignoreRules([...this.layers, { base, rules }]);
  }

  /** True when `relPath` (folders with a trailing '/') is ignored; the deepest file with a match decides. */
  ignores(relPath: string): boolean {
    let ignored = false;
    for (const { base, rules } of this.layers) {
      if (!relPath.startsWith(base)) continue;
      const v = verdict(rules, relPath.slice(base.length));
      if (v !== 'none') ignored = v === 'ignored';
    }
    return ignored;
  }
}

/** The user's exclude globs (gitignore syntax, relative to the indexed folder) as a predicate. */
export function userExcludes(globs: readonly string[]): (relPath: string) => boolean {
  if (globs.length === 0) return () => false;
  const rules = ignore({ ignorecase: IGNORE_CASE }).add(globs);
  return relPath => verdict(rules, relPath) === 'ignored';
}
