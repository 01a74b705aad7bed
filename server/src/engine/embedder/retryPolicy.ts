// When a request to an embedding endpoint is tried again: exponential backoff with jitter (so many clients
// told to wait do not come back at the same instant), unless the endpoint said how long in Retry-After.

/** Tries of one request before the endpoint is taken to be down: 0.5 + 1 + 2 + 4 + 8 + 16 + 30 s of waiting. */
export const MAX_ATTEMPTS = 8;
const MAX_BACKOFF_MS = 30_000;
/** A Retry-After longer than this is cut to it: a run should not sit silent for an hour on one header. */
const MAX_RETRY_AFTER_MS = 120_000;

export interface RetryPolicy {
  maxAttempts: number;
  /** The wait after the first failure; it doubles with each further one. */
  baseBackoffMs: number;
}

/**
 * SEMSEARCH_EMBEDDING_BACKOFF_MS shortens the first wait (tests take a server down and wait for the run to
 * give up); anything but a whole number is ignored.
 */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const v = env.SEMSEARCH_EMBEDDING_BACKOFF_MS;
  return { maxAttempts: MAX_ATTEMPTS, baseBackoffMs: v && /^\d+$/.test(v) ? Number(v) : 500 };
}

/** The wait before try number `attempt + 1` (attempt counts from 1), honouring a Retry-After the endpoint sent. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  const backoff = Math.min(policy.baseBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(backoff * (0.8 + 0.4 * Math.random()));
}

/** Retry-After as seconds ("2", "0.5") or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const t = header.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const date = Date.parse(t);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
