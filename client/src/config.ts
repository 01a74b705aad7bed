import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../../common/protocol';
import { copyValue, DEFAULT_SETTINGS, isValidSetting, SETTING_NAMES, settingSpec, type EngineSettings } from '../../common/settings';

/** The one place the client reads its configuration. A value of the wrong type or out of the bounds in SETTINGS
 *  (a hand-edited settings.json) falls back to the default rather than reaching the server; the server, which
 *  reads the section itself too, logs it. */
export function readSettings(scope?: vscode.ConfigurationScope): EngineSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const settings: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const value = config.get<unknown>(name);
    settings[name] = isValidSetting(settingSpec(name), value) ? value : copyValue(DEFAULT_SETTINGS[name]);
  }
  return settings as EngineSettings;
}
