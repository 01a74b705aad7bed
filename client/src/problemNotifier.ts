import * as vscode from 'vscode';
import { DEFAULT_MODEL_ID } from '../../common/settings';
import type { Health } from '../../common/protocol';
import type { HealthStore } from './healthStore';

/** Says each problem once, as a notification with its fixes: a missing or damaged model, or an index that
 *  cannot be saved. The same problem pushed again (every health update carries it) is not said again. */
export class ProblemNotifier implements vscode.Disposable {
  private readonly said = new Set<string>();
  /** The texts shown, in order (the API gives them to tests). */
  readonly shown: string[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(store: HealthStore) {
    this.subscription = store.onDidChange(health => this.check(health));
  }

  private check(health: Health): void {
    const p = health.problem;
    if (p && health.message) {
      const download = p.canDownload ? [p.kind === 'model-damaged' ? 'Download Again' : 'Download Model'] : [];
      const builtIn = p.modelId !== DEFAULT_MODEL_ID ? ['Use Built-in Model'] : [];
      this.once(`model:${health.message}`, `Semsearch: ${health.message}`, text => vscode.window.showErrorMessage(text, ...download, ...builtIn, 'Choose Models Folder', 'Show Log'));
    }
    for (const f of health.folders) {
      if (f.storeError) this.once(`store:${f.uri}:${f.storeError}`, `Semsearch: the index of ${f.name} is not saved. ${f.storeError}`, text => vscode.window.showWarningMessage(text, 'Show Log'));
    }
  }

  private once(key: string, text: string, show: (text: string) => Thenable<string | undefined>): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.shown.push(text);
    void show(text).then(choice => {
      const command = choice && ACTIONS[choice];
      if (command) void vscode.commands.executeCommand(command);
    });
  }

  dispose(): void { this.subscription.dispose(); }
}

const ACTIONS: Record<string, string> = {
  'Download Model': 'semanticSearch.downloadModel',
  'Download Again': 'semanticSearch.downloadModel',
  'Use Built-in Model': 'semanticSearch.useBuiltInModel',
  'Choose Models Folder': 'semanticSearch.chooseModelsFolder',
  'Show Log': 'semanticSearch.showLog',
};
