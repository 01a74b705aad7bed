// Engine settings from what the client sends (initializationOptions, then the 'semsearch' section) over
// the defaults, and what a change between two of them requires. Values are checked here, once, against
// SETTINGS (common/settings.ts): a wrong one is reported and ignored, never passed to the engine.

import {
  copyValue,
  DEFAULT_SETTINGS,
  EngineSettings,
  expectedValue,
  isValidSetting,
  SETTING_NAMES,
  settingSpec,
  type SettingName,
} from '../../../common/settings';
import { modelIdFromEnv } from '../engine';

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
  const values = settings as unknown as Record<string, unknown>;
  const warnings: string[] = [];
  for (const source of sources) {
    if (!source || typeof source !== 'object') continue;
    for (const key of SETTING_NAMES) {
      const value = source[key];
      if (value === undefined || value === null || sameValue(value, DEFAULT_SETTINGS[key])) continue;
      const spec = settingSpec(key);
      if (isValidSetting(spec, value)) values[key] = copyValue(value);
      else
        warnings.push(
          `Setting ${key} must be ${expectedValue(spec)}; got ${JSON.stringify(value)}. Using ${JSON.stringify(settings[key])}.`,
        );
    }
  }
  return { settings, warnings };
}

export interface SettingsChange {
  /** The model itself changed: tokenizer, dimensions and every vector; the engine is reopened. */
  model: boolean;
  restartPool: boolean;
  reindex: boolean;
  /** Keys that differ. */
  keys: SettingName[];
}

/** What a change needs, from each changed setting's effect in SETTINGS; reloading the model does both the rest. */
export function settingsChange(before: EngineSettings, after: EngineSettings): SettingsChange {
  const keys = SETTING_NAMES.filter(k => !sameValue(before[k], after[k]));
  const effects = new Set(keys.map(k => settingSpec(k).effect));
  const model = effects.has('reloadModel');
  return { model, restartPool: model || effects.has('restartPool'), reindex: model || effects.has('reindex'), keys };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
