// package.json's contributes.configuration, built from SETTINGS. package.json is static JSON, so
// `npm run settings:manifest` (scripts/writeSettingsManifest.ts) writes this into it, and
// test/unit/settingsManifest.test.ts fails when the two differ.

import { CONFIG_SECTION } from './protocol';
import { SETTING_NAMES, settingSpec, type SettingEffect, type SettingSpec } from './settings';

/** The sentence each description ends with: what a change does, in the user's words. */
export const EFFECT_TEXT: Record<SettingEffect, string> = {
  nextBatch: 'A change applies at once, from the next batch.',
  nextQuery: 'A change applies from the next search.',
  restartPool: 'A change restarts the background model processes; nothing is lost.',
  reindex: 'A change indexes the workspace again.',
  reloadModel: 'A change loads the model and indexes the workspace again with it.',
  nextStart: 'A change applies after a window reload, or when another model is loaded.',
};

/**
 * The settings page's heading: the product's name, so it is not confused with VS Code's own "semantic search"
 * setting. The keys carry the name too (`semsearch.<name>`, CONFIG_SECTION): VS Code titles each setting by its
 * key's prefix ("Semsearch: Model ID"), and the old `semanticSearch.` read "Semantic Search: Model ID".
 */
export const CONFIGURATION_TITLE = 'Semsearch';

export interface ConfigurationManifest {
  title: string;
  properties: Record<string, Record<string, unknown>>;
}

export function configurationManifest(): ConfigurationManifest {
  const properties: ConfigurationManifest['properties'] = {};
  SETTING_NAMES.forEach((name, order) => {
    const spec = settingSpec(name);
    // One language server per window reads them all, so every setting is window-scoped.
    properties[`${CONFIG_SECTION}.${name}`] = {
      ...schemaOf(spec),
      scope: 'window',
      order,
      description: `${spec.description} ${EFFECT_TEXT[spec.effect]}`,
    };
  });
  return { title: CONFIGURATION_TITLE, properties };
}

/** The JSON-schema part, keys in the order package.json has always had them. */
function schemaOf(spec: SettingSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'integer':
    case 'number':
      return {
        type: spec.type,
        default: spec.default,
        minimum: spec.minimum,
        ...(spec.maximum === undefined ? {} : { maximum: spec.maximum }),
      };
    case 'boolean':
      return { type: 'boolean', default: spec.default };
    case 'string':
      return { type: 'string', default: spec.default, ...(spec.minLength ? { minLength: spec.minLength } : {}) };
    case 'enum':
      return { type: 'string', default: spec.default, enum: [...spec.values], enumDescriptions: [...spec.valueDescriptions] };
    case 'stringArray':
      return { type: 'array', items: { type: 'string' }, default: [...spec.default] };
  }
}
