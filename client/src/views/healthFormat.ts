// Small formatting helpers shared by the health tree and the status bar, so both say the same thing.
import type { Health } from '../../../common/protocol';

export function filesIndexed(health: Health): number {
  return health.folders.reduce((sum, f) => sum + f.files.indexed, 0);
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : words}`;
}

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
    case 'starting': return { label: 'Starting', icon: 'loading~spin' };
    case 'indexing': return { label: p ? `Indexing ${count(p.filesDone)}/${count(p.filesTotal)}` : 'Indexing', description: p?.phase, icon: 'sync~spin' };
    case 'idle': return { label: 'Idle', description: 'index up to date', icon: 'pass', color: 'testing.iconPassed' };
    case 'paused': return { label: 'Paused', description: p ? `at ${count(p.filesDone)}/${count(p.filesTotal)}` : undefined, icon: 'debug-pause' };
    case 'error': return { label: 'Error', description: health.message, icon: 'error', color: 'errorForeground' };
  }
}
