// Folders that hold dependencies, build output, caches or VCS data. They are never descended, whatever
// .gitignore says: they are large, generated, and would drown real source in search results.

/**
 * Default excluded folders. A plain entry matches a folder of that name at any depth; an entry with a '/'
 * matches the tail of the folder's path (vendor/bundle is Bundler's install folder, while vendor/ alone
 * often holds real, checked-in code).
 */
export const DEFAULT_EXCLUDED_FOLDERS: readonly string[] = [
  // JavaScript / TypeScript dependencies, build output and tool caches
  'node_modules',
  'bower_components',
  'jspm_packages',
  '.yarn',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.turbo',
  '.parcel-cache',
  '.svelte-kit',
  '.angular',
  'coverage',
  '.nyc_output',
  '.cache',
  '.vscode-test',
  // version control
  '.git',
  '.hg',
  '.svn',
  // Python
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.tox',
  '.venv',
  'venv',
  // Rust / JVM / IDE
  'target',
  '.gradle',
  '.idea',
  // Ruby
  'vendor/bundle',
];

const byName = new Set(DEFAULT_EXCLUDED_FOLDERS.filter(e => !e.includes('/')));
const byTail = DEFAULT_EXCLUDED_FOLDERS.filter(e => e.includes('/'));

/** True when the folder at `relPath` ('/' separators, no trailing '/') is excluded by default. */
export function isDefaultExcludedFolder(relPath: string): boolean {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (byName.has(name)) return true;
  return byTail.some(tail => relPath === tail || relPath.endsWith('/' + tail));
}
