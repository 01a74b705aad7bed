import * as vscode from 'vscode';
import type { Health } from '../../common/protocol';
import type { HealthStore } from './healthStore';

/** The context keys the manifest's `when` clauses read: the state (Pause only while indexing, Resume only
 *  while paused) and the model problem the welcome view explains. */
export const STATE_CONTEXT = 'semanticSearch.state';
const PROBLEM_CONTEXT = 'semanticSearch.problem';
const CAN_DOWNLOAD_CONTEXT = 'semanticSearch.canDownload';

export function setStateContext(state: Health['state']): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', STATE_CONTEXT, state);
}

/** Keeps the context keys in step with the server's health, setting each only when it changes. */
export function trackContextKeys(store: HealthStore): vscode.Disposable {
  const last = new Map<string, unknown>();
  const set = (key: string, value: unknown) => {
    if (last.get(key) === value) return;
    last.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const update = (health: Health | undefined) => {
    set(STATE_CONTEXT, health?.state ?? 'starting');
    set(PROBLEM_CONTEXT, health?.problem?.kind ?? '');
    set(CAN_DOWNLOAD_CONTEXT, health?.problem?.canDownload ?? false);
  };
  update(store.health);
  return store.onDidChange(update);
}
