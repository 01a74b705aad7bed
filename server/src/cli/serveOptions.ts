// `semsearch serve`'s own options: where it listens, who may use it, and how much it takes on at once.

import { Option } from 'commander';
import { wholeNumberRange } from '../../../common/settings';
import { UsageError } from './exitCodes';
import { refuseOptionAsValue, wholeNumber } from './optionValues';

export const DEFAULT_PORT = 8484;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_QUEUE = 32;

export interface ServeOptionValues {
  port?: number;
  host?: string;
  token?: string;
  concurrency?: number;
  queue?: number;
}

export function serveOptions(): Option[] {
  return [
    new Option('--port <P>', `the port to listen on (default ${DEFAULT_PORT}; 0 picks a free one, printed on stdout)`).argParser(raw =>
      whole('--port', raw, 0, 65535),
    ),
    new Option(
      '--host <address>',
      `the address to listen on (default ${DEFAULT_HOST}: this machine only); another address lets other machines send code to embed, and is warned of`,
    ).argParser(raw => {
      refuseOptionAsValue('--host', raw);
      if (raw.trim() === '') throw new UsageError('--host needs an address, such as 0.0.0.0');
      return raw.trim();
    }),
    new Option('--token <token>', 'a bearer token every /v1 request must send (default: SEMSEARCH_SERVE_TOKEN, else none)').argParser(
      raw => {
        refuseOptionAsValue('--token', raw);
        if (raw === '') throw new UsageError('--token needs a value');
        return raw;
      },
    ),
    new Option(
      '--concurrency <N>',
      `requests embedded at once; more wait in the queue (default ${DEFAULT_CONCURRENCY}; ${wholeNumberRange(1, 256)})`,
    ).argParser(raw => whole('--concurrency', raw, 1, 256)),
    new Option(
      '--queue <N>',
      `requests that may wait for their turn; more are answered 429 with Retry-After (default ${DEFAULT_QUEUE}; ${wholeNumberRange(0, 4096)})`,
    ).argParser(raw => whole('--queue', raw, 0, 4096)),
  ];
}

function whole(flag: string, raw: string, min: number, max: number): number {
  refuseOptionAsValue(flag, raw);
  const n = wholeNumber(raw);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  throw new UsageError(`${flag} must be ${wholeNumberRange(min, max)}; got "${raw}"`);
}
