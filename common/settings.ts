// Every setting, declared once (SETTINGS): type, default, bounds, description, what a change needs and its CLI
// flag. Derived from it: the EngineSettings type, DEFAULT_SETTINGS, the checks the server and the client run
// (isValidSetting), the CLI's flags and package.json's contributes.configuration (`npm run settings:manifest`;
// test/unit/settingsManifest.test.ts fails when package.json drifts).

/** How a search finds code: by its words and its meaning fused (hybrid), by words only, or by meaning only. */
export const SEARCH_MODES = ['hybrid', 'lexical', 'semantic'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** The embedded static code-search model, shipped in models/ inside the package (train/, README "The model"). */
export const DEFAULT_MODEL_ID = 'semsearch-code-v1';

/** What the language server does when a setting changes (the CLI reads settings once per run). */
export type SettingEffect =
  /** Read again for every embedding batch; nothing restarts. */
  | 'nextBatch'
  /** Read again for every search. */
  | 'nextQuery'
  /** The embedder workers are stopped; the next batch or query starts them with the new value. */
  | 'restartPool'
  /** Every folder is indexed again: its chunks would differ. */
  | 'reindex'
  /** The engine is opened again: the model loaded, the workers restarted, every folder indexed again. */
  | 'reloadModel'
  /** Read only when the engine opens: the next start of the server, or a model reload. */
  | 'nextStart';

interface SettingCommon {
  /** One line for the user; the manifest appends what a change does (from `effect`). */
  description: string;
  effect: SettingEffect;
  /** The CLI flag that sets it (without --) and the word its --help shows for the value, if the CLI has one. */
  cli?: { flag: string; arg: string };
}
export interface IntegerSetting extends SettingCommon { type: 'integer'; default: number; minimum: number; maximum?: number }
export interface StringSetting extends SettingCommon { type: 'string'; default: string; minLength?: number }
export interface EnumSetting extends SettingCommon { type: 'enum'; default: string; values: readonly string[]; valueDescriptions: readonly string[] }
/** On the CLI a repeatable flag, one item each. */
export interface StringArraySetting extends SettingCommon { type: 'stringArray'; default: readonly string[] }
export type SettingSpec = IntegerSetting | StringSetting | EnumSetting | StringArraySetting;

/** In the order VS Code's settings UI shows them. */
export const SETTINGS = {
  batchSize: {
    type: 'integer', default: 8, minimum: 1, maximum: 256, effect: 'nextBatch', cli: { flag: 'batch-size', arg: 'N' },
    description: 'Chunks per embedding batch sent to one worker. Small batches pad less; 8 measured best on 2 cores.',
  },
  poolSize: {
    type: 'integer', default: 0, minimum: 0, maximum: 64, effect: 'restartPool', cli: { flag: 'pool-size', arg: 'N' },
    description: 'Embedder worker processes; 0 chooses from the core count. Workers never use more threads than there are cores.',
  },
  workerMemoryLimitMB: {
    // 64 (below any loaded model: every batch ends in a restart) is what the worker-fault tests run with.
    type: 'integer', default: 1024, minimum: 64, effect: 'restartPool',
    description: 'A worker whose memory (RSS) passes this many MB is restarted between batches.',
  },
  maxFileBytes: {
    type: 'integer', default: 1024 * 1024, minimum: 1024, effect: 'reindex', cli: { flag: 'max-file-bytes', arg: 'N' },
    description: 'Files larger than this many bytes are skipped without being read (shown as "too large" in Index Health).',
  },
  excludeGlobs: {
    type: 'stringArray', default: [], effect: 'reindex', cli: { flag: 'exclude', arg: 'GLOB' },
    description: 'Extra gitignore-style patterns to exclude, relative to the workspace folder (build folders and .gitignore are already respected).',
  },
  modelId: {
    type: 'string', default: DEFAULT_MODEL_ID, minLength: 1, effect: 'reloadModel', cli: { flag: 'model', arg: 'ID' },
    description: 'Embedding model: semsearch-code-v1 (built in, no download), or a model folder inside the models folder (a static model, or a BERT-style ONNX model such as Xenova/all-MiniLM-L6-v2).',
  },
  modelsDir: {
    type: 'string', default: '', effect: 'reloadModel', cli: { flag: 'models-dir', arg: 'DIR' },
    description: 'Folder holding model folders. Empty means SEMSEARCH_MODEL_DIR, or ~/.cache/semsearch/models.',
  },
  maxChunkTokens: {
    // 512: the position limit of the BERT-style models the engine loads; nothing cuts a longer chunk.
    type: 'integer', default: 256, minimum: 32, maximum: 512, effect: 'reindex', cli: { flag: 'max-chunk-tokens', arg: 'N' },
    description: 'Token budget of one chunk ([CLS] and [SEP] included); code is cut at declarations to fit, never truncated by the model. Shorter is faster.',
  },
  maxChunksPerFile: {
    type: 'integer', default: 200, minimum: 1, effect: 'reindex',
    description: 'At most this many chunks from one file; files that reach it are reported, not silently cut.',
  },
  cacheMB: {
    // The engine sizes its cache when it opens and never resizes it.
    type: 'integer', default: 64, minimum: 0, effect: 'nextStart',
    description: 'Size bound of the in-memory embedding cache, in MB.',
  },
  searchMode: {
    type: 'enum', default: 'hybrid', values: SEARCH_MODES, effect: 'nextQuery', cli: { flag: 'mode', arg: SEARCH_MODES.join('|') },
    valueDescriptions: [
      'Words and meaning: a lexical (BM25) index and the vectors, fused and ranked.',
      'Words only: exact identifiers, log messages, error strings. Needs no embedding at query time.',
      'Meaning only: the nearest vectors.',
    ],
    description: 'How a search finds code unless the search names a mode.',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

type ValueOf<S> = S extends { type: 'integer' } ? number
  : S extends { type: 'enum'; values: readonly (infer V)[] } ? V
    : S extends { type: 'stringArray' } ? string[]
      : string;

/** The one settings shape shared by the CLI, the language server and the client. */
export type EngineSettings = { [K in SettingName]: ValueOf<(typeof SETTINGS)[K]> };

/** The spec of one setting, as the union (for code that handles any setting). */
export function settingSpec(name: SettingName): SettingSpec {
  return SETTINGS[name];
}

export const DEFAULT_SETTINGS: EngineSettings = Object.fromEntries(
  SETTING_NAMES.map(name => [name, copyValue(SETTINGS[name].default)]),
) as unknown as EngineSettings;

/** Whether `value` has the setting's type and lies within its bounds. */
export function isValidSetting(spec: SettingSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.minimum && (spec.maximum === undefined || value <= spec.maximum);
    case 'string':
      return typeof value === 'string' && value.length >= (spec.minLength ?? 0);
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value);
    case 'stringArray':
      return Array.isArray(value) && value.every(v => typeof v === 'string');
  }
}

/** What a valid value is, to end "<setting> must be ...". */
export function expectedValue(spec: SettingSpec): string {
  switch (spec.type) {
    case 'integer':
      return spec.maximum === undefined ? `a whole number of at least ${spec.minimum}` : `a whole number from ${spec.minimum} to ${spec.maximum}`;
    case 'string':
      return spec.minLength ? 'a non-empty string' : 'a string';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'stringArray':
      return 'a list of strings';
  }
}

/** A copy, so nobody's edit of a settings object's list reaches the defaults. */
export function copyValue<T>(value: T): T {
  return (Array.isArray(value) ? [...value] : value) as T;
}
