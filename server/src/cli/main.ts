#!/usr/bin/env node
// The semsearch command line: a thin door onto the engine. Results go to stdout; progress and errors to stderr.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_SETTINGS, EngineSettings, expectedValue, isValidSetting, SETTING_NAMES, settingSpec, type SettingSpec } from '../../../common/settings';
import { Engine, IndexSummary } from '../engine/engine';
import type { FolderIndex } from '../engine/folderIndex';
import { BadQueryError } from '../engine/search/query';
import { ensureModel } from '../engine/model/modelDownload';
import { defaultModelsDir, modelIdFromEnv } from '../engine/model/modelFiles';
import { defaultStoreDir, findDefaultStore, userCacheDir } from '../engine/store/storeLocation';
import type { FileReport, SearchHit } from '../engine/types';
import { DEFAULT_LOCK_TIMEOUT_S, lockForIndex, noteWriter } from './cliLock';
import { ProgressLine } from './progressLine';

/** The settings the CLI takes as flags: those with a `cli` entry in SETTINGS. */
const SETTING_FLAGS = SETTING_NAMES.flatMap(name => {
  const spec = settingSpec(name);
  return spec.cli ? [{ name, spec, flag: spec.cli.flag, arg: spec.cli.arg }] : [];
});

function usage(): string {
  const flags = SETTING_FLAGS.map(f => `  ${`--${f.flag} ${f.arg}`.padEnd(32)} ${f.spec.description} [${f.name}; ${bounds(f.spec)}]`);
  return `usage:
  semsearch index <folder> [--store <dir>] [--lock-timeout SECONDS] [--allow-download] [--json] [settings]
  semsearch search <query> [--store <dir>] [-k N] [--allow-download] [--json] [settings]
  semsearch search --stdin [--store <dir>] [-k N] [settings]   (one query per line in, one JSON line per query out)
  semsearch files [--store <dir>] [--json]
The index of <folder> is kept in ${path.join(userCacheDir(), 'semsearch', 'stores')} (SEMSEARCH_CACHE_DIR moves it)
unless --store names a folder; search and files without --store use the index of the current folder or of the
nearest folder above it that has one.
settings (each also the VS Code setting semanticSearch.<name>; env: SEMSEARCH_MODEL, SEMSEARCH_MODEL_DIR):
${flags.join('\n')}`;
}

function bounds(spec: SettingSpec): string {
  if (spec.type === 'stringArray') return 'default none; once per item';
  return spec.type === 'integer' ? `default ${spec.default}; ${expectedValue(spec)}` : `default ${JSON.stringify(spec.default)}`;
}

class UsageError extends Error {}

function positiveInt(name: string, v: string | undefined, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  const n = wholeNumber(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}; got "${v}".`);
  return n;
}

/** NaN for text that is not a number at all (Number('') would be 0). */
function wholeNumber(v: string): number {
  return v.trim() === '' ? NaN : Number(v);
}

async function main(argv: string[]): Promise<number> {
  const settingOptions: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
    SETTING_FLAGS.map(f => [f.flag, { type: 'string', multiple: f.spec.type === 'stringArray' }]),
  );
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, options: {
        ...settingOptions,
        store: { type: 'string' }, json: { type: 'boolean' }, k: { type: 'string', short: 'k' },
        'allow-download': { type: 'boolean' }, 'lock-timeout': { type: 'string' },
        stdin: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]}`);
  }
  const { values, positionals } = parsed;
  const o = values as Record<string, string | string[] | boolean | undefined>;
  const [command, ...rest] = positionals;
  if (o.help) { process.stdout.write(`${usage()}\n`); return 0; }
  if (!command) throw new UsageError('Give a command: index, search or files.');
  if (!['index', 'search', 'files'].includes(command)) throw new UsageError(`Unknown command "${command}"; use index, search or files.`);
  const fromStdin = command === 'search' && Boolean(o.stdin);
  if (command !== 'files' && !fromStdin && rest.length !== 1) throw new UsageError(command === 'index' ? 'Give exactly one folder to index.' : 'Give the query as one argument (quote it), or --stdin.');
  if (fromStdin && rest.length > 0) throw new UsageError('With --stdin the queries come from standard input, one per line; give no query argument.');
  const settings = settingsFromFlags(o);
  const k = positiveInt('k', o.k as string | undefined, 10);
  const lockTimeoutS = positiveInt('lock-timeout', o['lock-timeout'] as string | undefined, DEFAULT_LOCK_TIMEOUT_S, 0);
  const store = o.store as string | undefined;
  // A default store is the real path's, so the folder is indexed under its real path too (else a run through a
  // symlink would find the saved root different and rebuild); --store keeps the path as given.
  const root = command === 'index' ? folderToIndex(rest[0], store === undefined) : undefined;
  // Before the model: a search with no index to read should not wait for (or download) one.
  const storeDir = storeOf(store, root);
  // Downloads only with --allow-download; otherwise a missing model says how to get it.
  await ensureModel(settings.modelsDir, settings.modelId, Boolean(o['allow-download']), line => process.stderr.write(`${line}\n`));
  const say = (line: string) => process.stderr.write(`semsearch: ${line}\n`);
  // One writer per store: index waits for the lock; search and files read the saved index.
  const lock = command === 'index' ? await lockForIndex(storeDir, lockTimeoutS, say) : (noteWriter(storeDir, say), undefined);
  const engine = await Engine.open({ settings }).catch(e => { lock?.release(); throw e; });
  try {
    if (command === 'index') {
      const summary = await engine.folder(root!, storeDir, true).index(p => progress.update(p));
      printSummary(summary, o.json as boolean | undefined);
      // Built but not saved: the store holds the previous save, which the next run resumes from.
      if (summary.saveError) { say(`${summary.saveError} Then run the same command again: it resumes from the last saved index.`); return 1; }
    } else if (command === 'search') {
      const folder = engine.savedFolder(storeDir);
      const mode = settings.searchMode;
      // One query needs one worker, with every core; the query is cut to the budget the chunks were cut to.
      const search = (text: string) => folder.search(engine.query(text, { k, mode }, folder.queryTokens, 1));
      if (fromStdin) await searchLines(search);
      else printHits(await searchOne(search, rest[0]), o.json as boolean | undefined);
    } else printFiles(engine.savedFolder(storeDir).files(), o.json as boolean | undefined);
  } finally {
    await engine.dispose();
    lock?.release();
  }
  return 0;
}

/** The defaults (the model from SEMSEARCH_MODEL / SEMSEARCH_MODEL_DIR), then each setting flag, checked against SETTINGS. */
function settingsFromFlags(o: Record<string, unknown>): EngineSettings {
  const settings: EngineSettings = { ...DEFAULT_SETTINGS, excludeGlobs: [], modelId: modelIdFromEnv(DEFAULT_SETTINGS.modelId) };
  for (const { name, spec, flag } of SETTING_FLAGS) {
    const given = o[flag] as string | string[] | undefined;
    if (given === undefined) continue;
    const value = spec.type === 'integer' ? wholeNumber(given as string) : given;
    if (!isValidSetting(spec, value)) throw new UsageError(`--${flag} must be ${expectedValue(spec)}; got "${String(given)}".`);
    (settings as unknown as Record<string, unknown>)[name] = value;
  }
  // The engine needs a real folder; '' is the setting's "the default folder".
  settings.modelsDir ||= defaultModelsDir();
  return settings;
}

function folderToIndex(folder: string, real: boolean): string {
  const given = path.resolve(folder);
  if (!fs.existsSync(given) || !fs.statSync(given).isDirectory()) throw new Error(`${given} is not a folder; give the path of the folder to index.`);
  return real ? fs.realpathSync(given) : given;
}

/** --store, else the default store of the folder to index, or (search, files) of the current folder or the nearest one above it. */
function storeOf(store: string | undefined, root: string | undefined): string {
  if (store !== undefined) {
    if (store === '') throw new UsageError('--store needs a folder: where the index is kept.');
    if (fs.existsSync(store) && !fs.statSync(store).isDirectory()) throw new UsageError(`--store ${store} is a file; give a folder for the index.`);
    return path.resolve(store);
  }
  if (root !== undefined) return defaultStoreDir(root);
  const found = findDefaultStore(process.cwd());
  if (!found) throw new Error(`No index of ${process.cwd()} or of a folder above it; run "semsearch index <folder>" first, or give --store <dir>.`);
  return found.storeDir;
}

const progress = new ProgressLine();

function printSummary(s: IndexSummary, json?: boolean): void {
  const skipped = Object.entries(s.files.skipped).map(([r, n]) => `${n} ${r}`).join(', ') || 'none';
  if (s.rebuilt) process.stderr.write(`${s.rebuilt}\n`);
  process.stderr.write(`indexed ${s.files.indexed} files (${s.chunks} chunks, ${s.embedded} embedded, ${s.reused} reused, ${s.cacheHits} from cache) in ${s.seconds}s; `
    + `skipped: ${skipped}; failed: ${s.files.failed}; ${s.tokensPerSecond} tokens/s; peak RSS ${s.peakRssMB} MB; store ${(s.storeBytes / 1048576).toFixed(1)} MB\n`);
  if (json) process.stdout.write(`${JSON.stringify(s)}\n`);
}

/** A bad query on the command line is a usage error, like any other bad argument. */
async function searchOne(search: (text: string) => ReturnType<FolderIndex['search']>, text: string): Promise<SearchHit[]> {
  try {
    return await search(text);
  } catch (e) {
    throw e instanceof BadQueryError ? new UsageError(e.message) : e;
  }
}

/** --stdin: one JSON line per query line, in order; a bad query gets {query, error} and the rest go on. */
async function searchLines(search: (text: string) => ReturnType<FolderIndex['search']>): Promise<void> {
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

function jsonHits(hits: SearchHit[]): Omit<SearchHit, 'kind'>[] {
  return hits.map(({ kind: _k, ...h }) => h);
}

function printHits(hits: SearchHit[], json?: boolean): void {
  if (json) { process.stdout.write(`${JSON.stringify(jsonHits(hits))}\n`); return; }
  for (const h of hits) {
    const sides = [h.why.lexical && `words${h.why.lexical.terms.length ? ` (${h.why.lexical.terms.join(', ')})` : ''}`, h.why.semantic && 'meaning'].filter(Boolean).join(' + ');
    const copies = h.alsoIn?.length ? `  also in ${h.alsoIn.length} file(s)` : '';
    process.stdout.write(`${h.score.toFixed(3)}  ${h.path}:${h.startLine}-${h.endLine}  ${h.symbol}  [${sides}]${copies}\n`);
    process.stdout.write(`${h.snippet.split('\n').slice(0, 3).map(l => `        ${l}`).join('\n')}\n`);
  }
}

function printFiles(files: FileReport[], json?: boolean): void {
  if (json) { process.stdout.write(`${JSON.stringify(files)}\n`); return; }
  for (const f of files) process.stdout.write(`${f.status.padEnd(8)} ${f.path}${f.reason ? `  (${f.reason}${f.detail ? `: ${f.detail}` : ''})` : ''}\n`);
}

// `semsearch files | head` closes stdout early; that is a normal end, not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

main(process.argv.slice(2)).then(
  code => { process.exitCode = code; },
  (e: Error) => {
    process.stderr.write(`semsearch: ${e instanceof UsageError ? `${e.message}\n${usage()}` : e.message}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
