import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../../common/protocol';
import { DEFAULT_SETTINGS, SEARCH_MODES, type EngineSettings, type SearchMode } from '../../common/settings';

/** The one place the client reads its configuration. Values of the wrong type or under the minimum that
 *  package.json declares (a hand-edited settings.json) fall back to the default rather than reaching the
 *  server. Keep the minimums here in step with contributes.configuration. */
export function readSettings(scope?: vscode.ConfigurationScope): EngineSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const number = (key: keyof EngineSettings, min: number): number => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : (DEFAULT_SETTINGS[key] as number);
  };
  const string = (key: 'modelId' | 'modelsDir'): string => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' ? value : DEFAULT_SETTINGS[key];
  };
  const globs = config.get<unknown>('excludeGlobs');
  const mode = config.get<unknown>('searchMode');
  return {
    batchSize: number('batchSize', 1),
    poolSize: number('poolSize', 0),
    workerMemoryLimitMB: number('workerMemoryLimitMB', 128),
    maxFileBytes: number('maxFileBytes', 1024),
    excludeGlobs: Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : [...DEFAULT_SETTINGS.excludeGlobs],
    modelId: string('modelId') || DEFAULT_SETTINGS.modelId,
    modelsDir: string('modelsDir'),
    maxChunkTokens: number('maxChunkTokens', 32),
    maxChunksPerFile: number('maxChunksPerFile', 1),
    cacheMB: number('cacheMB', 0),
    searchMode: SEARCH_MODES.includes(mode as SearchMode) ? (mode as SearchMode) : DEFAULT_SETTINGS.searchMode,
  };
}
