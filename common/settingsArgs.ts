// Settings as `semsearch` command-line flags (each setting's `cli` flag in SETTINGS), those that differ from
// the defaults: how the extension starts `semsearch mcp` with the user's settings, so the MCP server reads and
// writes the same index as the language server (another model or chunking would rebuild it).

import { DEFAULT_SETTINGS, type EngineSettings, SETTING_NAMES, settingSpec } from './settings';

export function settingsAsFlags(settings: EngineSettings): string[] {
  const args: string[] = [];
  for (const name of SETTING_NAMES) {
    const spec = settingSpec(name);
    const value = settings[name];
    if (!spec.cli || JSON.stringify(value) === JSON.stringify(DEFAULT_SETTINGS[name])) continue;
    const flag = `--${spec.cli.flag}`;
    if (spec.type === 'boolean') {
      if (value) args.push(flag);
    } // every boolean defaults to false: a switch
    else if (Array.isArray(value)) for (const v of value) args.push(flag, String(v));
    else args.push(flag, String(value));
  }
  return args;
}
