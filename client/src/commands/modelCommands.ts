// The fixes a missing or damaged model offers (notification and welcome view): download it (the extension's
// --allow-download: the server fetches it, checksum-verified, with progress here), choose a models folder,
// go back to the built-in model, or open the model settings.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { CONFIG_SECTION, DownloadModelRequest } from '../../../common/protocol';
import { DEFAULT_MODEL_ID } from '../../../common/settings';
import { errorMessage } from '../log';

/** `modelId`: the model the server reports as the problem (it may come from SEMSEARCH_MODEL, not the setting). */
export async function downloadModel(client: LanguageClient, log: vscode.LogOutputChannel, modelId?: string): Promise<void> {
  modelId ??= vscode.workspace.getConfiguration(CONFIG_SECTION).get<string>('modelId') ?? DEFAULT_MODEL_ID;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Semsearch: downloading ${modelId}` },
    async progress => {
      const token = randomUUID();
      const listening = client.onProgress(WorkDoneProgress.type, token, value => {
        if (value.kind !== 'end' && value.message) progress.report({ message: value.message });
      });
      try {
        await client.sendRequest(DownloadModelRequest.type, { workDoneToken: token });
        void vscode.window.showInformationMessage(`Semsearch: ${modelId} is downloaded and checked; indexing starts.`);
      } catch (error) {
        log.error(`Downloading ${modelId} failed: ${errorMessage(error)}`);
        // Not awaited: the command ends when the download does, not when the message is dismissed.
        void vscode.window.showErrorMessage(`Semsearch: downloading ${modelId} failed: ${errorMessage(error)}`, 'Show Log').then(choice => {
          if (choice) log.show(true);
        });
      } finally {
        listening.dispose();
      }
    },
  );
}

export async function chooseModelsFolder(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title: 'The folder that holds model folders',
    openLabel: 'Use This Folder',
  });
  if (picked?.[0]) await updateSetting('modelsDir', picked[0].fsPath);
}

export function useBuiltInModel(): Thenable<void> {
  return updateSetting('modelId', DEFAULT_MODEL_ID);
}

export function openModelSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', `${CONFIG_SECTION}.model`);
}

/** Where the value is set now (workspace folder, workspace) wins over the user's, so it is changed there. */
function updateSetting(name: string, value: string): Thenable<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const where = config.inspect(name);
  const target = where?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  return config.update(name, value, target);
}
