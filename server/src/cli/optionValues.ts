// Checks shared by every option that takes a value: the CLI's own and the setting flags.

import { decimalNumber } from '../../../common/settings';
import { UsageError } from './exitCodes';

/** NaN for text that is not a whole number written in decimal ('', '1e3', '0x10', '2.5'); the same parser as
 *  the setting flags' (common/settings.ts decimalNumber). */
export function wholeNumber(raw: string): number {
  const n = decimalNumber(raw);
  return Number.isInteger(n) ? n : NaN;
}

/**
 * commander takes the word after a flag as its value whatever it is, so `--store --json` would keep an index
 * in a folder named "--json": a value that is itself an option means the value was forgotten.
 */
export function refuseOptionAsValue(flag: string, raw: string): void {
  if (/^--[a-z]/.test(raw)) throw new UsageError(`${flag} needs a value, but got the option ${raw}`);
}
