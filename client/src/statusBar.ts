import * as vscode from 'vscode';
import type { Health } from '../../common/protocol';
import type { HealthStore } from './healthStore';
import { filesIndexed } from './views/healthFormat';

/** Indexing progress at a glance; a click focuses the Index Health view, where the details are. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('semanticSearch.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(store: HealthStore) {
    this.item.name = 'Semantic Search';
    this.item.command = 'semanticSearch.focusHealth';
    this.render(store.health);
    this.subscription = store.onDidChange(health => this.render(health));
    this.item.show();
  }

  private render(health: Health | undefined): void {
    const { text, tooltip } = describe(health);
    this.item.text = text;
    this.item.tooltip = `Semantic Search: ${tooltip}`;
    this.item.backgroundColor = health?.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function describe(health: Health | undefined): { text: string; tooltip: string } {
  const p = health?.progress;
  switch (health?.state) {
    case undefined:
    case 'starting': return { text: '$(loading~spin) Semantic Search', tooltip: 'starting the language server' };
    case 'indexing': return p
      ? { text: `$(sync~spin) Indexing ${p.filesDone}/${p.filesTotal}`, tooltip: `${p.phase}, ${p.filesDone} of ${p.filesTotal} files` }
      : { text: '$(sync~spin) Indexing', tooltip: 'indexing' };
    case 'paused': return { text: '$(debug-pause) Paused', tooltip: p ? `paused at ${p.filesDone} of ${p.filesTotal} files` : 'paused' };
    case 'error': return { text: '$(error) Index error', tooltip: health.message ?? 'index error' };
    case 'idle': {
      const n = filesIndexed(health);
      return { text: `$(search) Indexed ${n} files`, tooltip: `${n} files, ${health.chunks} chunks indexed. Click for details.` };
    }
  }
}
