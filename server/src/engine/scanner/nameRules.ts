// Name-only verdicts on files: generated artefacts and binary file types. Kept short and explicit:
// a false positive hides real source from search, a false negative only costs a content check.
// Lock files are data files (dataFiles.ts): a setting can index them, so they are not 'generated'.

/** Suffixes of generated files, with the words used in the skip detail. */
const GENERATED_SUFFIXES: readonly (readonly [string, string])[] = [
  ['.min.js', 'a minified script'],
  ['.min.mjs', 'a minified script'],
  ['.min.cjs', 'a minified script'],
  ['.min.css', 'a minified stylesheet'],
  ['.map', 'a source map'],
  ['.tsbuildinfo', 'a TypeScript build cache'],
];

/** What kind of generated file `name` is ('a source map', ...), or undefined when it is not one by name. */
export function generatedKind(name: string): string | undefined {
  const lower = name.toLowerCase();
  return GENERATED_SUFFIXES.find(([suffix]) => lower.endsWith(suffix))?.[1];
}

/** Extensions (lower case, no dot) of file types that are never text. */
export const BINARY_EXTENSIONS: ReadonlySet<string> = new Set([
  // images
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'avif',
  'heic',
  'ico',
  'icns',
  'bmp',
  'tif',
  'tiff',
  'psd',
  // documents
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'odp',
  // archives and packages
  'zip',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'zst',
  'lz4',
  '7z',
  'rar',
  'tar',
  'jar',
  'war',
  'ear',
  'apk',
  'deb',
  'rpm',
  'msi',
  'dmg',
  'iso',
  'whl',
  'egg',
  'nupkg',
  'vsix',
  'crx',
  'xpi',
  // compiled code and native libraries
  'class',
  'exe',
  'dll',
  'so',
  'dylib',
  'o',
  'a',
  'lib',
  'obj',
  'pdb',
  'wasm',
  'pyc',
  'pyo',
  'node',
  'beam',
  // fonts
  'woff',
  'woff2',
  'ttf',
  'otf',
  'eot',
  'ttc',
  // audio and video
  'mp3',
  'mp4',
  'm4a',
  'aac',
  'flac',
  'wav',
  'ogg',
  'opus',
  'webm',
  'mov',
  'avi',
  'mkv',
  'wmv',
  'flv',
  'swf',
  // data, databases and model weights
  'sqlite',
  'sqlite3',
  'db',
  'bin',
  'dat',
  'onnx',
  'pt',
  'pth',
  'ckpt',
  'safetensors',
  'npy',
  'npz',
  'pkl',
  'h5',
  'parquet',
  'feather',
  'arrow',
  'tflite',
  'ds_store',
]);

/** True when the file's extension names a binary type. */
export function isBinaryByName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && BINARY_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}
