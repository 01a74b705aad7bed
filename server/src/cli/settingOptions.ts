// The setting flags, derived from SETTINGS (common/settings.ts): each setting with a `cli` entry is a flag of
// the commands it means something to, described, bounded and defaulted as the table says, and checked as the
// language server checks the same setting.

import { Option } from 'commander';
import {
  DEFAULT_SETTINGS,
  EngineSettings,
  expectedValue,
  isValidSetting,
  settingFromText,
  SETTING_NAMES,
  settingSpec,
  type SettingEffect,
  type SettingName,
  type SettingSpec,
} from '../../../common/settings';
import { defaultModelsDir, modelIdFromEnv } from '../engine';
import { UsageError } from './exitCodes';
import { refuseOptionAsValue } from './optionValues';

export type CommandName = 'index' | 'search' | 'files' | 'serve' | 'mcp';

/**
 * Which commands a setting is a flag of, by what it acts on: `index` takes every setting that changes how a
 * folder is indexed; `search` the model (its queries are embedded) and the mode; `files` only the model,
 * whose id names the index it reads; `serve` the model and how it runs (batch size, pool), since it embeds;
 * `mcp` indexes and searches, so it takes both's.
 */
const COMMANDS_OF: Record<SettingEffect, readonly CommandName[]> = {
  nextBatch: ['index', 'serve', 'mcp'],
  restartPool: ['index', 'serve', 'mcp'],
  reindex: ['index', 'mcp'],
  nextStart: ['index', 'mcp'],
  reloadModel: ['index', 'search', 'files', 'serve', 'mcp'],
  nextQuery: ['search', 'mcp'],
};

interface SettingFlag {
  name: SettingName;
  spec: SettingSpec;
  flag: string;
  arg: string;
}

const SETTING_FLAGS: SettingFlag[] = SETTING_NAMES.flatMap(name => {
  const spec = settingSpec(name);
  return spec.cli ? [{ name, spec, flag: spec.cli.flag, arg: spec.cli.arg }] : [];
});

function flagsOf(command: CommandName): SettingFlag[] {
  return SETTING_FLAGS.filter(f => COMMANDS_OF[f.spec.effect].includes(command));
}

/** The settings a run gets with no flag: the defaults, the model from SEMSEARCH_MODEL / SEMSEARCH_MODEL_DIR. */
export function baseSettings(): EngineSettings {
  // The engine needs a real folder; '' is the setting's "the default folder".
  return {
    ...DEFAULT_SETTINGS,
    excludeGlobs: [],
    modelId: modelIdFromEnv(DEFAULT_SETTINGS.modelId),
    modelsDir: DEFAULT_SETTINGS.modelsDir || defaultModelsDir(),
  };
}

/** The options of `command` that set a setting, for commander: a boolean's is a switch, every other takes a value. */
export function settingOptions(command: CommandName): Option[] {
  const base = baseSettings();
  return flagsOf(command).map(f =>
    f.spec.type === 'boolean'
      ? new Option(`--${f.flag}`, describe(f, base[f.name]))
      : new Option(`--${f.flag} <${f.arg}>`, describe(f, base[f.name])).argParser((raw: string, previous: unknown) =>
          parseSetting(f, raw, previous),
        ),
  );
}

/** `base` with each setting flag given to `command` (commander's parsed options, already checked). */
export function settingsFromOptions(command: CommandName, opts: Record<string, unknown>, base = baseSettings()): EngineSettings {
  const settings = { ...base } as Record<SettingName, unknown>;
  for (const f of flagsOf(command)) {
    const value = opts[attributeOf(f.flag)];
    if (value !== undefined) settings[f.name] = value;
  }
  return settings as EngineSettings;
}

/** The description SETTINGS gives, then the default this run would use and what a value may be. */
function describe(f: SettingFlag, effective: unknown): string {
  const { spec } = f;
  const values =
    spec.type === 'enum' ? ` ${spec.values.map((v, i) => `${v}: ${spec.valueDescriptions[i].replace(/\.$/, '')}`).join('; ')}.` : '';
  const allowed =
    spec.type === 'integer' || spec.type === 'number'
      ? `; ${expectedValue(spec)}`
      : spec.type === 'stringArray'
        ? '; repeat the flag for more'
        : '';
  const shown = Array.isArray(effective)
    ? effective.length
      ? effective.join(', ')
      : 'none'
    : typeof effective === 'boolean'
      ? effective
        ? 'on'
        : 'off'
      : effective === ''
        ? 'none'
        : String(effective);
  return `${spec.description}${values} (default ${shown}${allowed}; setting ${f.name})`;
}

/** One value of a setting flag, checked against SETTINGS; a list setting collects one item per flag. */
function parseSetting(f: SettingFlag, raw: string, previous: unknown): unknown {
  refuseOptionAsValue(`--${f.flag}`, raw);
  const { spec } = f;
  const value = spec.type === 'stringArray' ? [...((previous as string[] | undefined) ?? []), raw] : settingFromText(spec, raw);
  if (!isValidSetting(spec, value)) throw new UsageError(`--${f.flag} must be ${expectedValue(spec)}; got "${raw}"`);
  return value;
}

/** The key commander stores a flag's value under: --max-chunk-tokens -> maxChunkTokens. */
function attributeOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
