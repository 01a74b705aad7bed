import * as vscode from 'vscode';
import { longProgressText, shortProgressText } from '../../common/progress';
import type { Health } from '../../common/protocol';
import type { HealthModel } from './healthModel';
import { filesIndexed, plural } from './views/healthFormat';

/** The one progress item: indexing at a glance (the server reports no progress of its own, so nothing else
 *  shows it); a click focuses the Index Health view, where the details are. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('semanticSearch.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(healthModel: HealthModel) {
    this.item.name = 'Semsearch';
    this.item.command = 'semanticSearch.focusHealth';
    this.render(healthModel.health);
    this.subscription = healthModel.onDidChange(health => this.render(health));
    this.item.show();
  }

  private render(health: Health | undefined): void {
    const { text, tooltip } = describe(health);
    this.item.text = text;
    this.item.tooltip = `Semsearch: ${tooltip}`;
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
    case 'starting':
      return { text: '$(loading~spin) Semsearch', tooltip: 'starting the language server' };
    case 'indexing':
      return p
        ? { text: `$(sync~spin) ${shortProgressText(p)}`, tooltip: `${shortProgressText(p)}: ${longProgressText(p)}` }
        : { text: '$(sync~spin) Indexing', tooltip: 'indexing' };
    case 'paused':
      return { text: '$(debug-pause) Paused', tooltip: p ? `paused at ${longProgressText(p)}` : 'paused' };
    case 'error':
      return { text: '$(error) Index error', tooltip: health.message ?? 'index error' };
    case 'idle': {
      const n = filesIndexed(health);
      return {
        text: `$(search) Indexed ${plural(n, 'file')}`,
        tooltip: `${plural(n, 'file')}, ${plural(health.chunks, 'chunk')} indexed. Click for details.`,
      };
    }
  }
}
