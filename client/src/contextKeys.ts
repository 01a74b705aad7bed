import * as vscode from 'vscode';
import type { Health } from '../../common/protocol';
import type { HealthModel } from './healthModel';

/** The context keys the manifest's `when` clauses read: the state (Pause only while indexing, Resume only
 *  while paused) and the model problem the welcome view explains. */
export const STATE_CONTEXT = 'semanticSearch.state';
const PROBLEM_CONTEXT = 'semanticSearch.problem';
const CAN_DOWNLOAD_CONTEXT = 'semanticSearch.canDownload';

/** What each key was last set to: every setter goes through `set`, so a health push corrects a guess. */
const last = new Map<string, unknown>();

function set(key: string, value: unknown): Thenable<unknown> {
  if (last.get(key) === value) return Promise.resolve();
  last.set(key, value);
  return vscode.commands.executeCommand('setContext', key, value);
}

/** Flips the state at once (the pause button), before the server's health confirms or corrects it. */
export function setStateContext(state: Health['state']): Thenable<unknown> {
  return set(STATE_CONTEXT, state);
}

/** Keeps the context keys in step with the server's health, setting each only when it changes. */
export function trackContextKeys(healthModel: HealthModel): vscode.Disposable {
  const update = (health: Health | undefined) => {
    void set(STATE_CONTEXT, health?.state ?? 'starting');
    void set(PROBLEM_CONTEXT, health?.problem?.kind ?? '');
    void set(CAN_DOWNLOAD_CONTEXT, health?.problem?.canDownload ?? false);
  };
  update(healthModel.health);
  return healthModel.onDidChange(update);
}
