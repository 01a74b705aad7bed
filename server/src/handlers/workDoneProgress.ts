// Indexing progress as LSP work-done progress started by the server (window/workDoneProgress/create, then
// begin / report / end), cancellable from the client's notification. A client that cannot show it, or does
// not answer, gets nothing and indexing goes on.

import type { Connection } from 'vscode-languageserver/node';
import type { Logger } from '../workspace/logging';
import type { ProgressHandle, StartProgress } from '../workspace/runProgress';

const CREATE_TIMEOUT_MS = 5000;
const NONE: ProgressHandle = { report: () => {}, done: () => {} };

export function workDoneProgress(connection: Connection, log: Logger): StartProgress {
  return async (title, message, onCancel) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>(resolve => { timer = setTimeout(() => resolve(undefined), CREATE_TIMEOUT_MS); });
    try {
      const reporter = await Promise.race([connection.window.createWorkDoneProgress(), timeout]);
      if (!reporter) { log.warn('The client did not answer window/workDoneProgress/create; indexing goes on without progress.'); return NONE; }
      reporter.begin(title, 0, message, true);
      const cancel = reporter.token.onCancellationRequested(onCancel);
      return {
        report: (percentage, msg) => reporter.report(percentage, msg),
        done: () => { cancel.dispose(); reporter.done(); },
      };
    } catch (e) {
      log.warn(`No progress shown: ${(e as Error).message}`);
      return NONE;
    } finally {
      clearTimeout(timer);
    }
  };
}
