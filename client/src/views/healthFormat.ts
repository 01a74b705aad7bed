// Small formatting helpers shared by the health tree and the status bar, so both say the same thing; the
// progress words themselves are the shared model's (common/progress.ts), which the CLI uses too.
import { countText, longProgressText, percentText, pluralText } from '../../../common/progress';
import type { Health } from '../../../common/protocol';

export function filesIndexed(health: Health): number {
  return health.folders.reduce((sum, f) => sum + f.files.indexed, 0);
}

export const count = countText;
export const plural = pluralText;

export function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0)} MB`;
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.1 ? 1 : 0)}%`;
}

/** Skip reasons are codes ('too-large'); the view shows them as words. */
export function reasonLabel(reason: string): string {
  return reason.replace(/-/g, ' ');
}

export function stateText(health: Health | undefined): { label: string; description?: string; icon: string; color?: string } {
  const p = health?.progress;
  switch (health?.state) {
    case undefined:
    case 'starting':
      return { label: 'Starting', icon: 'loading~spin' };
    case 'indexing':
      if (!p) return { label: 'Indexing', icon: 'sync~spin' };
      if (p.phase === 'scanning') return { label: 'Scanning', description: longProgressText(p), icon: 'sync~spin' };
      return {
        label: p.phase === 'updating' ? 'Updating' : `Indexing ${percentText(p) ?? ''}`.trim(),
        description: longProgressText(p),
        icon: 'sync~spin',
      };
    case 'idle':
      return {
        label: 'Up to date',
        description: `${plural(filesIndexed(health), 'file')} indexed`,
        icon: 'pass',
        color: 'testing.iconPassed',
      };
    case 'paused':
      return { label: 'Paused', description: p ? longProgressText(p) : undefined, icon: 'debug-pause' };
    case 'error':
      return { label: 'Error', description: health.message, icon: 'error', color: 'errorForeground' };
  }
}
