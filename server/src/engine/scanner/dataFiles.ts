// The data-file rule: files that are text but not code (lock files, text images, tabular and structured data)
// are skipped as 'data-file', with the rule that fired in the detail, unless the indexDataFiles setting is on.
// They are large, machine-written and repetitive: their chunks would crowd real code out of the results and
// cost embedding time, while nobody searches a lock file by meaning. Names decide before the read; the
// content of a JSON file decides after it.
import { formatBytes } from './reports';

/** Lock files, by exact name: dependency resolutions written by a package manager. */
const LOCK_FILES: ReadonlySet<string> = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'deno.lock',
  'Cargo.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'composer.lock',
  'Gemfile.lock',
  'Podfile.lock',
  'go.sum',
  'go.work.sum',
  'flake.lock',
  'pubspec.lock',
  'mix.lock',
  'Package.resolved',
  'packages.lock.json',
  'gradle.lockfile',
  '.terraform.lock.hcl',
]);

/** Name endings (lower case) that only lock files have: foo.lock, deno-lock.json, node_modules/.package-lock.json. */
const LOCK_SUFFIXES = ['.lock', '-lock.json', '-lock.yaml', '.lockfile'];

/** Text formats of images, 3D models and fonts, by extension: markup or numbers that draw, not code. */
const ASSET_KINDS: ReadonlyMap<string, string> = new Map([
  ['svg', 'SVG image'],
  ['eps', 'EPS image'],
  ['xpm', 'XPM image'],
  ['pbm', 'Netpbm image'],
  ['pgm', 'Netpbm image'],
  ['ppm', 'Netpbm image'],
  ['stl', '3D model'],
  ['ply', '3D model'],
  ['dae', '3D model'],
  ['gltf', '3D model'],
  ['bdf', 'bitmap font'],
]);

/** Formats that hold only data, by extension. */
const DATA_KINDS: ReadonlyMap<string, string> = new Map([
  ['csv', 'CSV data'],
  ['tsv', 'TSV data'],
  ['jsonl', 'JSON Lines data'],
  ['ndjson', 'JSON Lines data'],
  ['geojson', 'GeoJSON data'],
  ['topojson', 'TopoJSON data'],
  ['kml', 'KML map data'],
  ['gpx', 'GPX track data'],
]);

/** Formats that hold configuration when small and data when large, by extension, with their name. */
const STRUCTURED_FORMATS: ReadonlyMap<string, string> = new Map([
  ['json', 'JSON'],
  ['xml', 'XML'],
  ['plist', 'XML'],
  ['yaml', 'YAML'],
  ['yml', 'YAML'],
]);

/**
 * Past this size a JSON, XML or YAML file is data. Configuration stays far below it: package.json files run to
 * a few KB, the largest VS Code extension manifests to about 100 KB.
 */
const STRUCTURED_DATA_BYTES = 256 * 1024;

/**
 * A JSON file holding one list or object of this many entries is data (a table, a word list, a map of
 * records). Among 1,718 JSON files under node_modules and a VS Code install, configuration (package.json
 * manifests, tsconfig, themes, icon themes, grammars) held at most 383 entries in one place; the files past 500
 * were all data: mime-db, HTML entities, emoji and SPDX lists, model weights.
 */
const JSON_DATA_ENTRIES = 500;

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function isLockFile(name: string): boolean {
  const lower = name.toLowerCase();
  return LOCK_FILES.has(name) || LOCK_SUFFIXES.some(suffix => lower.endsWith(suffix));
}

/** Which rule makes `name` (a file of `size` bytes) a data file ('lock file', 'SVG image', ...), or undefined. */
export function dataKindByName(name: string, size: number): string | undefined {
  if (isLockFile(name)) return 'lock file';
  const ext = extensionOf(name);
  const kind = ASSET_KINDS.get(ext) ?? DATA_KINDS.get(ext);
  if (kind) return kind;
  const format = STRUCTURED_FORMATS.get(ext);
  return format && size > STRUCTURED_DATA_BYTES ? `${format} data over ${formatBytes(STRUCTURED_DATA_BYTES)}` : undefined;
}

interface Collection {
  entries: number;
  list: boolean;
}

/** The largest array or object anywhere in `value`; iterative, so deeply nested JSON cannot overflow the stack. */
function largestCollection(value: unknown): Collection {
  let largest: Collection = { entries: 0, list: false };
  const pending = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object') continue;
    const entries: unknown[] = Array.isArray(v) ? v : Object.values(v);
    if (entries.length > largest.entries) largest = { entries: entries.length, list: Array.isArray(v) };
    for (const e of entries) if (e !== null && typeof e === 'object') pending.push(e);
  }
  return largest;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // JSON with comments (tsconfig.json) or broken JSON: configuration or code, not data
  }
}

/** Whether the rule reads the file `name` to judge it: so far only JSON, which may hold a table. */
function judgedByContent(name: string): boolean {
  return extensionOf(name) === 'json';
}

/** Which rule makes the read file `name` a data file by its content, or undefined: so far, JSON holding a table. */
export function dataKindByContent(name: string, text: string): string | undefined {
  if (!judgedByContent(name)) return undefined;
  const { entries, list } = largestCollection(parseJson(text));
  if (entries < JSON_DATA_ENTRIES) return undefined;
  return `JSON data: ${entries.toLocaleString('en-US')} ${list ? 'items in one list' : 'entries in one object'}`;
}

/** The skip detail, naming the rule and the setting that turns it off. */
export function dataFileDetail(kind: string): string {
  return `Data rather than code (${kind}), so it is not indexed; turn on indexDataFiles to index such files.`;
}
