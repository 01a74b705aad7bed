// Skip outcomes and their one-sentence details, shared by the walk and the content check so both speak alike.
import type { FileReport, SkipReason } from '../types';

export interface SkipOutcome {
  status: 'skipped' | 'failed';
  reason: SkipReason;
  detail: string;
}

/** A report line for a path that was not indexed. */
export function skipReport(path: string, reason: SkipReason, detail: string, status: SkipOutcome['status'] = 'skipped'): FileReport {
  return { path, status, reason, detail, chunks: 0 };
}

const KB = 1024;
const MB = 1024 * KB;

/** "1 MB", "40.0 MB", "512 KB", "12 bytes": whole units print bare so a cap reads the way it was set. */
export function formatBytes(n: number): string {
  const unit = (v: number, name: string) => (Number.isInteger(v) ? `${v} ${name}` : `${v.toFixed(1)} ${name}`);
  if (n >= MB) return unit(n / MB, 'MB');
  if (n >= KB) return unit(n / KB, 'KB');
  return `${n} bytes`;
}

export function tooLargeDetail(size: number, cap: number): string {
  return `Over the ${formatBytes(cap)} size cap (${formatBytes(size)}); raise maxFileSizeMB to index it.`;
}

/**
 * Maps a file-system error to an outcome. Expected conditions (gone, permission denied) are 'skipped';
 * anything else is 'failed', so a real I/O problem stands out in the summary.
 */
export function errorToSkip(err: unknown, subject: 'file' | 'folder'): SkipOutcome {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { status: 'skipped', reason: 'vanished', detail: `The ${subject} was deleted or moved while the index was being built.` };
    case 'EACCES':
    case 'EPERM':
      return {
        status: 'skipped',
        reason: 'unreadable',
        detail: `Permission denied reading this ${subject}; give your user read access to index it.`,
      };
    case 'ENAMETOOLONG':
      // Only a shorter path helps, and nothing is wrong with the disk: an expected condition, not a failure.
      return {
        status: 'skipped',
        reason: 'unreadable',
        detail: 'The path is longer than the operating system can open (ENAMETOOLONG); shorten the folder names to index it.',
      };
    case 'ELOOP':
      return { status: 'skipped', reason: 'dangling-link', detail: 'A symlink that leads back to itself in a loop, so it has no target.' };
    default: {
      const why = code ?? (err instanceof Error ? err.message : String(err));
      return { status: 'failed', reason: 'unreadable', detail: `Could not read this ${subject} (${why}).` };
    }
  }
}
