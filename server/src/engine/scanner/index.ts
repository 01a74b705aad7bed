// The scanner's public surface: walk a folder by name and stat, then read each candidate and check its content.
export { walk, type WalkEvent, type WalkOptions } from './walker';
export { readSourceFile, type ReadOptions, type ReadResult } from './contentCheck';
export { looksMinified, isMinified, lineStats, type LineStats, DEFAULT_MAX_LINE_CHARS } from './lineStats';
export { DEFAULT_EXCLUDED_FOLDERS } from './defaultExcludes';
export { maxFileBytes, readOptions, walkOptions } from './scanOptions';
export { errorToSkip, formatBytes, type SkipOutcome } from './reports';
