// The scanner's options from the settings. The one place the size cap turns from the setting's MB into the
// bytes the walk and the read compare sizes with.
import type { EngineSettings } from '../../../../common/settings';
import type { ReadOptions } from './contentCheck';
import type { WalkOptions } from './walker';

const BYTES_PER_MB = 1024 * 1024;

/** maxFileSizeMB in bytes (0.5 MB is 524,288 bytes). */
export function maxFileBytes(settings: Pick<EngineSettings, 'maxFileSizeMB'>): number {
  return Math.round(settings.maxFileSizeMB * BYTES_PER_MB);
}

export function walkOptions(settings: Pick<EngineSettings, 'excludeGlobs' | 'maxFileSizeMB' | 'indexDataFiles'>): WalkOptions {
  return { excludeGlobs: settings.excludeGlobs, maxFileBytes: maxFileBytes(settings), indexDataFiles: settings.indexDataFiles };
}

export function readOptions(settings: Pick<EngineSettings, 'maxFileSizeMB' | 'indexDataFiles'>, maxLineChars: number): ReadOptions {
  return { maxFileBytes: maxFileBytes(settings), maxLineChars, indexDataFiles: settings.indexDataFiles };
}
