// Engine settings from what the client sends (initializationOptions, then the 'semanticSearch' section) over
// the defaults, and what a change between two of them requires. Values are checked here, once: a wrong one
// is reported and ignored, never passed to the engine.

import { REINDEX_SETTINGS, RESTART_POOL_SETTINGS } from '../../../common/protocol';
import { DEFAULT_SETTINGS, EngineSettings, SEARCH_MODES } from '../../../common/settings';
import { modelIdFromEnv } from '../engine/model/modelFiles';

type Check = (v: unknown) => boolean;

const wholeAtLeast = (min: number): Check => v => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isString: Check = v => typeof v === 'string';

const CHECKS: Record<keyof EngineSettings, [Check, string]> = {
  batchSize: [wholeAtLeast(1), 'a whole number of at least 1'],
  poolSize: [wholeAtLeast(0), 'a whole number of at least 0 (0 = automatic)'],
  workerMemoryLimitMB: [wholeAtLeast(64), 'a whole number of at least 64'],
  maxFileBytes: [wholeAtLeast(1), 'a whole number of at least 1'],
  excludeGlobs: [v => Array.isArray(v) && v.every(isString), 'a list of glob strings'],
  modelId: [v => isString(v) && v !== '', 'a model folder name'],
  modelsDir: [isString, 'a folder path'],
  maxChunkTokens: [wholeAtLeast(16), 'a whole number of at least 16'],
  maxChunksPerFile: [wholeAtLeast(1), 'a whole number of at least 1'],
  cacheMB: [wholeAtLeast(0), 'a whole number of at least 0'],
  searchMode: [v => SEARCH_MODES.includes(v as never), `one of ${SEARCH_MODES.join(', ')}`],
};

export interface ResolvedSettings {
  settings: EngineSettings;
  /** One line per ignored value, for the log. */
  warnings: string[];
}

/**
 * Layers `sources` (later wins) over the defaults. The environment (SEMSEARCH_MODEL) replaces the default
 * model; a source that merely repeats a default (as VS Code's configuration does for settings the user never
 * set) does not override it.
 */
export function resolveSettings(...sources: (Partial<Record<string, unknown>> | undefined | null)[]): ResolvedSettings {
  const settings: EngineSettings = { ...DEFAULT_SETTINGS, modelId: modelIdFromEnv(DEFAULT_SETTINGS.modelId), excludeGlobs: [] };
  const warnings: string[] = [];
  for (const source of sources) {
    if (!source || typeof source !== 'object') continue;
    for (const key of Object.keys(CHECKS) as (keyof EngineSettings)[]) {
      const value = source[key];
      if (value === undefined || value === null || sameValue(value, DEFAULT_SETTINGS[key])) continue;
      const [ok, expected] = CHECKS[key];
      if (ok(value)) (settings as unknown as Record<string, unknown>)[key] = value;
      else warnings.push(`Setting ${key} must be ${expected}; got ${JSON.stringify(value)}. Using ${JSON.stringify(settings[key])}.`);
    }
  }
  return { settings, warnings };
}

export interface SettingsChange {
  /** The model itself changed: tokenizer, dimensions and every vector. */
  model: boolean;
  restartPool: boolean;
  reindex: boolean;
  /** Keys that differ. */
  keys: (keyof EngineSettings)[];
}

export function settingsChange(before: EngineSettings, after: EngineSettings): SettingsChange {
  const keys = (Object.keys(CHECKS) as (keyof EngineSettings)[]).filter(k => !sameValue(before[k], after[k]));
  return {
    model: keys.includes('modelId') || keys.includes('modelsDir'),
    restartPool: keys.some(k => RESTART_POOL_SETTINGS.includes(k)),
    reindex: keys.some(k => REINDEX_SETTINGS.includes(k)),
    keys,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
