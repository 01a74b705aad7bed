// package.json's contributes.configuration, built from SETTINGS. package.json is static JSON, so
// `npm run settings:manifest` (scripts/writeSettingsManifest.ts) writes this into it, and
// test/unit/settingsManifest.test.ts fails when the two differ.

import { CONFIG_SECTION } from './protocol';
import { SETTING_NAMES, settingSpec, type SettingEffect, type SettingSpec } from './settings';

/** The sentence each description ends with: what the language server does on a change. */
export const EFFECT_TEXT: Record<SettingEffect, string> = {
  nextBatch: 'Applies to the next batch, without restarting anything.',
  nextQuery: 'Applies to the next search.',
  restartPool: 'A change restarts the worker pool.',
  reindex: 'A change reindexes.',
  reloadModel: 'A change reloads the model, restarts the worker pool and reindexes.',
  nextStart: 'A change applies when the language server next starts or loads a model.',
};

export interface ConfigurationManifest {
  title: string;
  properties: Record<string, Record<string, unknown>>;
}

export function configurationManifest(): ConfigurationManifest {
  const properties: ConfigurationManifest['properties'] = {};
  SETTING_NAMES.forEach((name, order) => {
    const spec = settingSpec(name);
    // One language server per window reads them all, so every setting is window-scoped.
    properties[`${CONFIG_SECTION}.${name}`] = { ...schemaOf(spec), scope: 'window', order, description: `${spec.description} ${EFFECT_TEXT[spec.effect]}` };
  });
  return { title: 'Semantic Search', properties };
}

/** The JSON-schema part, keys in the order package.json has always had them. */
function schemaOf(spec: SettingSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'integer':
      return { type: 'integer', default: spec.default, minimum: spec.minimum, ...(spec.maximum === undefined ? {} : { maximum: spec.maximum }) };
    case 'string':
      return { type: 'string', default: spec.default, ...(spec.minLength ? { minLength: spec.minLength } : {}) };
    case 'enum':
      return { type: 'string', default: spec.default, enum: [...spec.values], enumDescriptions: [...spec.valueDescriptions] };
    case 'stringArray':
      return { type: 'array', items: { type: 'string' }, default: [...spec.default] };
  }
}
