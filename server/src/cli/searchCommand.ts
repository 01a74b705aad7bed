// `semsearch search`: one query from the command line, or one per line of stdin (--stdin), over the saved
// index; results go to stdout.

import * as readline from 'node:readline';
import { BadQueryError, type FolderIndex, type SearchHit } from '../engine';
import { noteWriter } from './cliLock';
import { EXIT, UsageError } from './exitCodes';
import { prepareModel, withEngine } from './openEngine';
import { type CommandOptions, DEFAULT_K } from './ownOptions';
import { hitsText, jsonHits } from './resultText';
import { settingsFromOptions } from './settingOptions';
import { say } from './stderrLines';
import { storeOf } from './storeChoice';

type Search = (text: string) => ReturnType<FolderIndex['search']>;

export async function runSearch(query: string | undefined, opts: CommandOptions): Promise<number> {
  if (opts.stdin && query !== undefined)
    throw new UsageError('with --stdin the queries come from standard input, one per line; give no query argument');
  if (!opts.stdin && query === undefined) throw new UsageError('give the query as one argument (quote it), or --stdin');
  const settings = settingsFromOptions('search', opts);
  // Before the model: a search with no index to read should not wait for (or download) one.
  const storeDir = storeOf(opts.store, undefined);
  await prepareModel(settings, Boolean(opts.allowDownload));
  noteWriter(storeDir, say);
  await withEngine(settings, async engine => {
    const folder = engine.savedFolder(storeDir);
    const options = { k: opts.k ?? DEFAULT_K, mode: settings.searchMode };
    // One query needs one worker, with every core; the query is cut to the budget the chunks were cut to.
    const search: Search = text => folder.search(engine.query(text, options, folder.queryTokens, 1));
    if (query === undefined) await searchLines(search);
    else process.stdout.write(hitsText(await searchOne(search, query), opts.json));
  });
  return EXIT.ok;
}

/** A bad query on the command line is a usage error, like any other bad argument. */
async function searchOne(search: Search, text: string): Promise<SearchHit[]> {
  try {
    return await search(text);
  } catch (e) {
    throw e instanceof BadQueryError ? new UsageError(e.message.replace(/\.$/, '')) : e;
  }
}

/** --stdin: one JSON line per query line, in order; a bad query gets {query, error} and the rest go on. */
async function searchLines(search: Search): Promise<void> {
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    try {
      process.stdout.write(`${JSON.stringify({ query: line, results: jsonHits(await search(line)) })}\n`);
    } catch (e) {
      if (!(e instanceof BadQueryError)) throw e;
      process.stdout.write(`${JSON.stringify({ query: line.slice(0, 200), error: e.message })}\n`);
    }
  }
}
