import * as vscode from 'vscode';
import { DEFAULT_MODEL_ID } from '../../common/settings';
import type { Health } from '../../common/protocol';
import type { HealthModel } from './healthModel';

/** Says each problem once, as a notification with its fixes: a missing or damaged model, or an index that
 *  cannot be saved. The same problem pushed again (every health update carries it) is not said again. */
export class ProblemNotifier implements vscode.Disposable {
  private readonly said = new Set<string>();
  /** The texts shown, in order (the API gives them to tests). */
  readonly shown: string[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(healthModel: HealthModel) {
    this.subscription = healthModel.onDidChange(health => this.check(health));
  }

  private check(health: Health): void {
    const p = health.problem;
    if (p && health.message) {
      const download = p.canDownload ? [p.kind === 'model-damaged' ? DOWNLOAD_AGAIN : DOWNLOAD] : [];
      const builtIn = p.modelId !== DEFAULT_MODEL_ID ? [BUILT_IN] : [];
      this.once(
        `model:${health.message}`,
        `Semsearch: ${health.message}`,
        [...download, ...builtIn, CHOOSE_FOLDER, SHOW_LOG],
        (t, ...labels) => vscode.window.showErrorMessage(t, ...labels),
      );
    }
    for (const f of health.folders) {
      if (f.storeError)
        this.once(
          `healthModel:${f.uri}:${f.storeError}`,
          `Semsearch: the index of ${f.name} is not saved. ${f.storeError}`,
          [SHOW_LOG],
          (t, ...labels) => vscode.window.showWarningMessage(t, ...labels),
        );
    }
  }

  private once(
    key: string,
    text: string,
    actions: Action[],
    show: (text: string, ...labels: string[]) => Thenable<string | undefined>,
  ): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.shown.push(text);
    void show(text, ...actions.map(a => a.label)).then(choice => {
      const chosen = actions.find(a => a.label === choice);
      if (chosen) void vscode.commands.executeCommand(chosen.command);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** A notification's button and the command it runs. */
interface Action {
  label: string;
  command: string;
}

const DOWNLOAD: Action = { label: 'Download Model', command: 'semanticSearch.downloadModel' };
const DOWNLOAD_AGAIN: Action = { label: 'Download Again', command: 'semanticSearch.downloadModel' };
const BUILT_IN: Action = { label: 'Use Built-in Model', command: 'semanticSearch.useBuiltInModel' };
const CHOOSE_FOLDER: Action = { label: 'Choose Models Folder', command: 'semanticSearch.chooseModelsFolder' };
const SHOW_LOG: Action = { label: 'Show Log', command: 'semanticSearch.showLog' };
