// The CLI's own options (those that are not settings), each with its meaning, default and check. A value that
// is wrong is a UsageError in our words, thrown while commander parses, so it never reaches a run.

import * as path from 'node:path';
import { Option } from 'commander';
import { wholeNumberRange } from '../../../common/settings';
import { MAX_K, userCacheDir } from '../engine';
import { DEFAULT_LOCK_TIMEOUT_S } from './cliLock';
import { UsageError } from './exitCodes';
import { refuseOptionAsValue, wholeNumber } from './optionValues';

export const DEFAULT_K = 10;

/** What each command's action receives from commander (settings flags beside these, see settingOptions). */
export interface OwnOptions {
  store?: string;
  json?: boolean;
  k?: number;
  lockTimeout?: number;
  allowDownload?: boolean;
  stdin?: boolean;
}

/** All a command's options as commander parsed them: its own, and the setting flags settingsFromOptions reads. */
export type CommandOptions = OwnOptions & Record<string, unknown>;

export function storeOption(reads: boolean): Option {
  const where = path.join(userCacheDir(), 'semsearch', 'stores');
  const text = reads
    ? `the folder the index is kept in (default: the index of the current folder, or of the nearest folder above it, in ${where})`
    : `the folder to keep the index in (default: the folder's own, in ${where}; SEMSEARCH_CACHE_DIR moves it)`;
  return new Option('--store <dir>', text).argParser(raw => {
    refuseOptionAsValue('--store', raw);
    if (raw === '') throw new UsageError('--store needs a folder: where the index is kept');
    return raw;
  });
}

export function jsonOption(what: string): Option {
  return new Option('--json', `print ${what} as JSON on stdout`);
}

export function kOption(): Option {
  return new Option('-k <N>', `how many results to print (default ${DEFAULT_K}; ${wholeNumberRange(1, MAX_K)})`).argParser(raw =>
    wholeIn('-k', raw, 1, MAX_K),
  );
}

export function lockTimeoutOption(): Option {
  return new Option(
    '--lock-timeout <seconds>',
    `while another process indexes the same store, wait this long for it, then give up (default ${DEFAULT_LOCK_TIMEOUT_S}; 0: do not wait)`,
  ).argParser(raw => wholeIn('--lock-timeout', raw, 0));
}

export function allowDownloadOption(): Option {
  return new Option(
    '--allow-download',
    'download the model when it is missing (a known model only: each file checked against its pinned sha256)',
  );
}

export function stdinOption(): Option {
  return new Option(
    '--stdin',
    'read one query per line from standard input and print one JSON line per query ({query, results} or {query, error})',
  );
}

function wholeIn(flag: string, raw: string, min: number, max?: number): number {
  refuseOptionAsValue(flag, raw);
  const n = wholeNumber(raw);
  if (Number.isInteger(n) && n >= min && (max === undefined || n <= max)) return n;
  throw new UsageError(`${flag} must be ${wholeNumberRange(min, max)}; got "${raw}"`);
}
