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
  /** What the setting does for the user, in their words; the manifest appends what a change does (from `effect`). */
  description: string;
  effect: SettingEffect;
  /**
   * The CLI flag that sets it (without --) and the word its --help shows for the value, if the CLI has one.
   * A boolean's flag takes no value (`arg` is ''): given alone it turns the setting on.
   */
  cli?: { flag: string; arg: string };
}
export interface IntegerSetting extends SettingCommon {
  type: 'integer';
  default: number;
  minimum: number;
  maximum?: number;
}
/** A number that may have decimals (a size of 0.5 MB). */
export interface NumberSetting extends SettingCommon {
  type: 'number';
  default: number;
  minimum: number;
  maximum?: number;
}
export interface BooleanSetting extends SettingCommon {
  type: 'boolean';
  default: boolean;
}
export interface StringSetting extends SettingCommon {
  type: 'string';
  default: string;
  minLength?: number;
}
export interface EnumSetting extends SettingCommon {
  type: 'enum';
  default: string;
  values: readonly string[];
  valueDescriptions: readonly string[];
}
/** On the CLI a repeatable flag, one item each. */
export interface StringArraySetting extends SettingCommon {
  type: 'stringArray';
  default: readonly string[];
}
export type SettingSpec = IntegerSetting | NumberSetting | BooleanSetting | StringSetting | EnumSetting | StringArraySetting;

/**
 * In the order VS Code's settings UI shows them, which is the order a user reaches for them: the model, what
 * to leave out, the limits on what is indexed, how a search works, then performance.
 */
export const SETTINGS = {
  modelId: {
    type: 'string',
    default: DEFAULT_MODEL_ID,
    minLength: 1,
    effect: 'reloadModel',
    cli: { flag: 'model', arg: 'ID' },
    description:
      'The model that lets a search find code by its meaning. semsearch-code-v1 is built in and needs no download. ' +
      'Any other id names a model kept in the models folder, such as Xenova/all-MiniLM-L6-v2 (larger and slower to index with).',
  },
  modelsDir: {
    type: 'string',
    default: '',
    effect: 'reloadModel',
    cli: { flag: 'models-dir', arg: 'DIR' },
    description:
      'Where models other than the built-in one are kept, each in a folder named after its id. ' +
      'Leave empty for ~/.cache/semsearch/models (or the folder the SEMSEARCH_MODEL_DIR environment variable names).',
  },
  embeddingEndpoint: {
    type: 'string',
    default: '',
    effect: 'reloadModel',
    cli: { flag: 'embedding-endpoint', arg: 'URL' },
    description:
      'An OpenAI-compatible embeddings server to embed with instead of a model on this machine: its base URL, such as ' +
      'http://gpu-box:8080/v1 (Ollama, text-embeddings-inference, vLLM, LM Studio, llama.cpp, or semsearch serve). ' +
      'When set, the text of every piece of code indexed and of every search is sent there. ' +
      'Leave empty (the default) and nothing leaves this machine. An API key is never a setting: in VS Code run "Semsearch: Set Embedding API Key" (kept in its secret storage); the CLI reads SEMSEARCH_EMBEDDING_API_KEY.',
  },
  embeddingModel: {
    type: 'string',
    default: '',
    effect: 'reloadModel',
    cli: { flag: 'embedding-model', arg: 'NAME' },
    description:
      'The model the embedding endpoint is asked for, as it names it (such as nomic-embed-text). ' +
      'Leave empty for the first model the endpoint lists. Used only when an embedding endpoint is set.',
  },
  excludeGlobs: {
    type: 'stringArray',
    default: [],
    effect: 'reindex',
    cli: { flag: 'exclude', arg: 'GLOB' },
    description:
      'Files and folders to leave out of the index, as .gitignore-style patterns relative to the workspace folder ' +
      '(such as docs/generated/ or *.snap). Dependency and build folders and whatever .gitignore lists are left out already.',
  },
  indexDataFiles: {
    type: 'boolean',
    default: false,
    effect: 'reindex',
    cli: { flag: 'index-data-files', arg: '' },
    description:
      'Also index files that are text but not code: lock files (package-lock.json, yarn.lock, ...), SVG and other text images, ' +
      'CSV, TSV and JSON Lines data, and JSON, XML or YAML data (over 256 KB, or JSON with 500 or more entries in one list or object). ' +
      'When off they are skipped and listed as "data file" in Index Health.',
  },
  maxFileSizeMB: {
    // 256 MB: far past any source file, and below the longest string Node can hold.
    type: 'number',
    default: 1,
    minimum: 0.01,
    maximum: 256,
    effect: 'reindex',
    cli: { flag: 'max-file-size-mb', arg: 'MB' },
    description:
      'Files larger than this many MB are skipped without being read, and listed as "too large" in Index Health. ' +
      'Decimals are allowed: 0.5 is 512 KB.',
  },
  maxChunksPerFile: {
    type: 'integer',
    default: 200,
    minimum: 1,
    effect: 'reindex',
    cli: { flag: 'max-chunks-per-file', arg: 'N' },
    description:
      'The most pieces (chunks) one file is split into for search. A longer file keeps its first pieces and is listed with a note in Index Health.',
  },
  maxChunkTokens: {
    // 512: the position limit of the BERT-style models the engine loads; nothing cuts a longer chunk.
    type: 'integer',
    default: 256,
    minimum: 32,
    maximum: 512,
    effect: 'reindex',
    cli: { flag: 'max-chunk-tokens', arg: 'N' },
    description:
      'How much code one search result can hold, in model tokens (a token is a word or part of one). ' +
      'Code is split at its functions and classes to fit. Smaller pieces give more precise results and index faster.',
  },
  searchMode: {
    type: 'enum',
    default: 'hybrid',
    values: SEARCH_MODES,
    effect: 'nextQuery',
    cli: { flag: 'mode', arg: SEARCH_MODES.join('|') },
    valueDescriptions: [
      'Words and meaning together: the best results on the whole.',
      'Words only: exact names, log messages and error strings. The fastest; the model does not run at search time.',
      'Meaning only: code that does what the query describes, whatever words it uses.',
    ],
    description: 'How a search finds code, unless the search itself asks for another way.',
  },
  batchSize: {
    type: 'integer',
    default: 8,
    minimum: 1,
    maximum: 256,
    effect: 'nextBatch',
    cli: { flag: 'batch-size', arg: 'N' },
    description:
      'How many pieces of code the model embeds at once while indexing. The default was the fastest measured; ' +
      'larger batches may be faster on a machine with many cores, smaller ones use less memory.',
  },
  poolSize: {
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: 64,
    effect: 'restartPool',
    cli: { flag: 'pool-size', arg: 'N' },
    description:
      'How many background processes run an ONNX model (the built-in model needs none). 0 picks a number from your CPU cores. ' +
      'More processes index faster on many cores and use more memory; together they never use more threads than there are cores.',
  },
  workerMemoryLimitMB: {
    // 64 (below any loaded model: every batch ends in a restart) is what the worker-fault tests run with.
    type: 'integer',
    default: 1024,
    minimum: 64,
    effect: 'restartPool',
    description:
      'A background model process that grows past this much memory, in MB, is restarted between batches, so a leak cannot take over the machine.',
  },
  cacheMB: {
    // The engine sizes its cache when it opens and never resizes it.
    type: 'integer',
    default: 64,
    minimum: 0,
    effect: 'nextStart',
    description: 'Memory, in MB, kept for code already embedded, so code that appears again is not embedded twice. 0 turns the cache off.',
  },
  embeddingBatchSize: {
    type: 'integer',
    default: 64,
    minimum: 1,
    maximum: 2048,
    effect: 'reloadModel',
    cli: { flag: 'embedding-batch-size', arg: 'N' },
    description: 'The most pieces of code sent to the embedding endpoint in one request. Used only when an embedding endpoint is set.',
  },
  embeddingBatchTokens: {
    type: 'integer',
    default: 16384,
    minimum: 512,
    maximum: 1048576,
    effect: 'reloadModel',
    cli: { flag: 'embedding-batch-tokens', arg: 'N' },
    description:
      "The most tokens (counted by the built-in model's tokenizer, roughly the endpoint's) sent to the embedding endpoint in one request. " +
      'Used only when an embedding endpoint is set.',
  },
  embeddingRequests: {
    type: 'integer',
    default: 4,
    minimum: 1,
    maximum: 64,
    effect: 'reloadModel',
    cli: { flag: 'embedding-requests', arg: 'N' },
    description: 'The most requests waiting on the embedding endpoint at once. Used only when an embedding endpoint is set.',
  },
  embeddingTimeoutSeconds: {
    type: 'number',
    default: 60,
    minimum: 0.1,
    maximum: 3600,
    effect: 'reloadModel',
    cli: { flag: 'embedding-timeout-seconds', arg: 'S' },
    description:
      'How long one request to the embedding endpoint may take before it is given up and tried again (up to 8 tries, ' +
      'waiting longer each time and as long as the endpoint asks). Used only when an embedding endpoint is set.',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

type ValueOf<S> = S extends { type: 'integer' | 'number' }
  ? number
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : S extends { type: 'stringArray' }
        ? string[]
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
      return typeof value === 'number' && Number.isInteger(value) && inBounds(spec, value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inBounds(spec, value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string' && value.length >= (spec.minLength ?? 0);
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value);
    case 'stringArray':
      return Array.isArray(value) && value.every(v => typeof v === 'string');
  }
}

/** "a whole number of at least 1", "a whole number from 1 to 256": the words for any integer's bounds. */
export function wholeNumberRange(minimum: number, maximum?: number): string {
  return maximum === undefined ? `a whole number of at least ${minimum}` : `a whole number from ${minimum} to ${maximum}`;
}

/** What a valid value is, to end "<setting> must be ...". */
export function expectedValue(spec: SettingSpec): string {
  switch (spec.type) {
    case 'integer':
      return wholeNumberRange(spec.minimum, spec.maximum);
    case 'number':
      return spec.maximum === undefined ? `a number of at least ${spec.minimum}` : `a number from ${spec.minimum} to ${spec.maximum}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return spec.minLength ? 'a non-empty string' : 'a string';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'stringArray':
      return 'a list of strings';
  }
}

function inBounds(spec: IntegerSetting | NumberSetting, value: number): boolean {
  return value >= spec.minimum && (spec.maximum === undefined || value <= spec.maximum);
}

/**
 * A setting's value from command-line text, to be checked with isValidSetting: numbers from decimal digits only
 * (Number() would also take '', '0x10', '1e1' and '0b11'), a boolean from 'true' or 'false', text as it is.
 */
export function settingFromText(spec: SettingSpec, text: string): unknown {
  switch (spec.type) {
    case 'integer':
    case 'number':
      return decimalNumber(text);
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

/** The number a user wrote in decimal ("12", "-1", "0.5", ".5"), else NaN. */
export function decimalNumber(text: string): number {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN;
}

/** A copy, so nobody's edit of a settings object's list reaches the defaults. */
export function copyValue<T>(value: T): T {
  return (Array.isArray(value) ? [...value] : value) as T;
}
