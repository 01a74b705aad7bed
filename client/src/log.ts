import * as vscode from 'vscode';

/** One channel for the client and the language server (the client passes it as its outputChannel), so a
 *  user reading "Semsearch" sees both sides of a problem in order. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Semsearch', { log: true });
}

/** A one-line message from whatever was thrown (ResponseError, Error or anything else). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
