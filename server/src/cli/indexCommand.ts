// `semsearch index <folder>`: takes the store's lock, says what it starts from (a resumed run, a rebuilt
// index), runs with progress on stderr, and ends with what changed, or, when SIGINT / SIGTERM stopped it,
// with what was saved (exit 130 / 143). With --json the summary is also the last stdout line.

import type { IndexSummary } from '../engine';
import { DEFAULT_LOCK_TIMEOUT_S, lockForIndex } from './cliLock';
import { EXIT } from './exitCodes';
import type { Interrupts } from './interrupts';
import { prepareModel, withEngine } from './openEngine';
import type { CommandOptions } from './ownOptions';
import { ProgressLine } from './progressLine';
import { settingsFromOptions } from './settingOptions';
import { say, tell } from './stderrLines';
import { folderToIndex, storeOf } from './storeChoice';
import { interruptedText, resumeText, summaryText } from './summaryText';

export async function runIndex(folder: string, opts: CommandOptions, interrupts: Interrupts): Promise<number> {
  const settings = settingsFromOptions('index', opts);
  const root = folderToIndex(folder, opts.store === undefined);
  const storeDir = storeOf(opts.store, root);
  await prepareModel(settings, Boolean(opts.allowDownload));
  // One writer per store: wait for another (a VS Code window, another index) up to --lock-timeout.
  const lock = await lockForIndex(storeDir, opts.lockTimeout ?? DEFAULT_LOCK_TIMEOUT_S, say);
  try {
    const summary = await withEngine(settings, async engine => {
      const index = engine.folder(root, storeDir, true);
      // Said before the work, so a user who sees everything embedded again knows why from the start.
      if (index.rebuiltBecause) tell(index.rebuiltBecause);
      if (index.resumes) tell(resumeText(index.resumes));
      const progress = new ProgressLine(process.stderr, progressIntervalFromEnv());
      return interrupts.stoppable(signal => index.index(p => progress.update(p), signal));
    });
    return report(summary, opts.json, interrupts.exitCode);
  } finally {
    lock.release();
  }
}

/** The run's last words and its exit code. */
function report(s: IndexSummary, json: boolean | undefined, stoppedCode: number | undefined): number {
  if (s.cancelled) tell(interruptedText(s));
  else for (const line of summaryText(s)) tell(line);
  if (json) process.stdout.write(`${JSON.stringify(s)}\n`);
  if (s.cancelled) return stoppedCode ?? EXIT.SIGINT;
  // Built but not saved: the store holds the previous save, which the next run resumes from.
  if (s.saveError) {
    say(`${s.saveError} Then run the same command again: it resumes from the last saved index.`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

/**
 * SEMSEARCH_PROGRESS_MS: the time between progress lines when stderr is not a terminal (tests wait on a line
 * instead of sleeping; 0 prints every update). Anything but a whole number is ignored.
 */
function progressIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.SEMSEARCH_PROGRESS_MS;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}
