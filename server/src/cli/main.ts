#!/usr/bin/env node
// The semsearch command line: a thin door onto the engine. Results go to stdout; progress and errors to stderr.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, EngineSettings, SEARCH_MODES, SearchMode } from '../../../common/settings';
import { Engine, IndexSummary } from '../engine/engine';
import type { FolderIndex } from '../engine/folderIndex';
import { BadQueryError } from '../engine/search/query';
import { ensureModel } from '../engine/model/modelDownload';
import { defaultModelsDir, modelIdFromEnv } from '../engine/model/modelFiles';
import type { FileReport, SearchHit } from '../engine/types';
import { DEFAULT_LOCK_TIMEOUT_S, lockForIndex, noteWriter } from './cliLock';
import { ProgressLine } from './progressLine';

const USAGE = `usage:
  semsearch index <folder> --store <dir> [--batch-size N] [--pool-size N] [--exclude GLOB]... [--lock-timeout SECONDS] [--allow-download] [--json]
  semsearch search <query> --store <dir> [-k N] [--mode hybrid|lexical|semantic] [--allow-download] [--json]
  semsearch search --stdin --store <dir> [-k N] [--mode M]   (one query per line in, one JSON line per query out)
  semsearch files --store <dir> [--json]
options: --model ID  --models-dir DIR  --max-file-bytes N  --max-chunk-tokens N  (env: SEMSEARCH_MODEL, SEMSEARCH_MODEL_DIR)`;

class UsageError extends Error {}

function positiveInt(name: string, v: string | undefined, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}; got "${v}".`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, options: {
        store: { type: 'string' }, json: { type: 'boolean' }, k: { type: 'string', short: 'k' },
        'batch-size': { type: 'string' }, 'pool-size': { type: 'string' }, exclude: { type: 'string', multiple: true },
        model: { type: 'string' }, 'models-dir': { type: 'string' }, 'max-file-bytes': { type: 'string' },
        'max-chunk-tokens': { type: 'string' }, 'allow-download': { type: 'boolean' }, 'lock-timeout': { type: 'string' },
        mode: { type: 'string' }, stdin: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]}`);
  }
  const { values: o, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (o.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  if (!command) throw new UsageError('Give a command: index, search or files.');
  if (!['index', 'search', 'files'].includes(command)) throw new UsageError(`Unknown command "${command}"; use index, search or files.`);
  if (!o.store) throw new UsageError('--store <dir> is required: the folder where the index is kept.');
  if (fs.existsSync(o.store) && !fs.statSync(o.store).isDirectory()) throw new UsageError(`--store ${o.store} is a file; give a folder for the index.`);
  const fromStdin = command === 'search' && Boolean(o.stdin);
  if (command !== 'files' && !fromStdin && rest.length !== 1) throw new UsageError(command === 'index' ? 'Give exactly one folder to index.' : 'Give the query as one argument (quote it), or --stdin.');
  if (fromStdin && rest.length > 0) throw new UsageError('With --stdin the queries come from standard input, one per line; give no query argument.');
  if (o.mode !== undefined && !SEARCH_MODES.includes(o.mode as SearchMode)) throw new UsageError(`--mode must be one of ${SEARCH_MODES.join(', ')}; got "${o.mode}".`);
  const mode = (o.mode ?? DEFAULT_SETTINGS.searchMode) as SearchMode;

  const settings: EngineSettings = {
    ...DEFAULT_SETTINGS,
    batchSize: positiveInt('batch-size', o['batch-size'], DEFAULT_SETTINGS.batchSize),
    poolSize: positiveInt('pool-size', o['pool-size'], DEFAULT_SETTINGS.poolSize, 0),
    maxFileBytes: positiveInt('max-file-bytes', o['max-file-bytes'], DEFAULT_SETTINGS.maxFileBytes),
    maxChunkTokens: positiveInt('max-chunk-tokens', o['max-chunk-tokens'], DEFAULT_SETTINGS.maxChunkTokens, 16),
    excludeGlobs: o.exclude ?? [],
    modelId: o.model ?? modelIdFromEnv(DEFAULT_SETTINGS.modelId),
    modelsDir: o['models-dir'] ?? defaultModelsDir(),
  };
  const k = positiveInt('k', o.k, 10);
  const lockTimeoutS = positiveInt('lock-timeout', o['lock-timeout'], DEFAULT_LOCK_TIMEOUT_S, 0);
  // Downloads only with --allow-download; otherwise a missing model says how to get it.
  await ensureModel(settings.modelsDir, settings.modelId, Boolean(o['allow-download']), line => process.stderr.write(`${line}\n`));
  const storeDir = path.resolve(o.store);
  const say = (line: string) => process.stderr.write(`semsearch: ${line}\n`);
  // One writer per store: index waits for the lock; search and files read the saved index.
  const lock = command === 'index' ? await lockForIndex(storeDir, lockTimeoutS, say) : (noteWriter(storeDir, say), undefined);
  const engine = await Engine.open({ settings }).catch(e => { lock?.release(); throw e; });
  try {
    if (command === 'index') {
      const summary = await engine.folder(rest[0], storeDir, true).index(p => progress.update(p));
      printSummary(summary, o.json);
      // Built but not saved: the store holds the previous save, which the next run resumes from.
      if (summary.saveError) { say(`${summary.saveError} Then run the same command again: it resumes from the last saved index.`); return 1; }
    } else if (command === 'search') {
      const folder = engine.savedFolder(storeDir);
      // One query needs one worker, with every core; the query is cut to the budget the chunks were cut to.
      const search = (text: string) => folder.search(engine.query(text, { k, mode }, folder.queryTokens, 1));
      if (fromStdin) await searchLines(search);
      else printHits(await searchOne(search, rest[0]), o.json);
    } else printFiles(engine.savedFolder(storeDir).files(), o.json);
  } finally {
    await engine.dispose();
    lock?.release();
  }
  return 0;
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
    process.stderr.write(`semsearch: ${e instanceof UsageError ? `${e.message}\n${USAGE}` : e.message}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
