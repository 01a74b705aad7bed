// `semsearch files`: every path the saved index's last run saw, indexed, skipped or failed.

import { noteWriter } from './cliLock';
import { EXIT } from './exitCodes';
import { prepareModel, withEngine } from './openEngine';
import type { CommandOptions } from './ownOptions';
import { filesText } from './resultText';
import { settingsFromOptions } from './settingOptions';
import { say } from './stderrLines';
import { storeOf } from './storeChoice';

export async function runFiles(opts: CommandOptions): Promise<number> {
  const settings = settingsFromOptions('files', opts);
  const storeDir = storeOf(opts.store, undefined);
  await prepareModel(settings, false);
  noteWriter(storeDir, say);
  const text = await withEngine(settings, async engine => filesText(engine.savedFolder(storeDir).files(), opts.json));
  process.stdout.write(text);
  return EXIT.ok;
}
