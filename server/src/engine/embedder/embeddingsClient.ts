// One try of one request to an OpenAI-compatible embeddings endpoint (POST <base>/embeddings, GET
// <base>/models), with its own timeout over the whole exchange, body included. What went wrong is sorted
// into what a later try may fix (the network, a timeout, 429, 5xx) and what it will not (a refusal, garbage).

/** Where an endpoint's API key comes from, as an error that asks for one says it. */
export const API_KEY_WAYS = 'SEMSEARCH_EMBEDDING_API_KEY (the CLI, semsearch mcp) or "Semsearch: Set Embedding API Key" (VS Code)';

/** An answer larger than this is not read: a broken endpoint must not fill this process's memory. */
const MAX_ANSWER_BYTES = 256 * 1048576;

export type TryFailure =
  /** The network, a timeout, 408, 429 or 5xx: worth another try; `retryAfter` is the endpoint's Retry-After. */
  | { kind: 'retry'; why: string; status?: number; retryAfter: string | null }
  /** A refusal (4xx) or an answer that is not what was asked: another try would get the same. */
  | { kind: 'refused'; why: string; status: number }
  | { kind: 'garbage'; why: string };

export type TryResult = { ok: true; body: unknown } | { ok: false; failure: TryFailure };

export interface EndpointRequest {
  url: string;
  apiKey?: string;
  timeoutMs: number;
  /** Absent: GET. */
  body?: unknown;
}

export async function tryRequest(req: EndpointRequest): Promise<TryResult> {
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, req.timeoutMs);
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.apiKey) headers.authorization = `Bearer ${req.apiKey}`;
    const res = await fetch(req.url, {
      method: req.body === undefined ? 'GET' : 'POST',
      headers,
      signal: abort.signal,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
    });
    const text = await readCapped(res);
    if (text === undefined) return fail({ kind: 'garbage', why: `an answer over ${MAX_ANSWER_BYTES / 1048576} MB` });
    if (res.status === 408 || res.status === 429 || res.status >= 500) {
      return fail({
        kind: 'retry',
        status: res.status,
        why: `${res.status} ${errorMessageOf(text) ?? res.statusText}`.trim(),
        retryAfter: res.headers.get('retry-after'),
      });
    }
    if (res.status < 200 || res.status > 299)
      return fail({
        kind: 'refused',
        status: res.status,
        why: `${res.status}: ${errorMessageOf(text) ?? (res.statusText || 'no reason given')}`,
      });
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      return fail({ kind: 'garbage', why: `a body that is not JSON: ${JSON.stringify(text.slice(0, 40))}` });
    }
  } catch (e) {
    if (timedOut) return fail({ kind: 'retry', why: `no answer within ${formatSeconds(req.timeoutMs)}`, retryAfter: null });
    return fail({ kind: 'retry', why: networkReason(e), retryAfter: null });
  } finally {
    clearTimeout(timer);
  }
}

function fail(failure: TryFailure): TryResult {
  return { ok: false, failure };
}

async function readCapped(res: Response): Promise<string | undefined> {
  if (!res.body) return '';
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const part of res.body) {
    bytes += (part as Uint8Array).byteLength;
    if (bytes > MAX_ANSWER_BYTES) {
      await res.body.cancel().catch(() => {});
      return undefined;
    }
    parts.push(Buffer.from(part as Uint8Array));
  }
  return Buffer.concat(parts).toString('utf8');
}

/** OpenAI's error shape ({error: {message}}) and the plain ones other servers send, cut to one short line. */
function errorMessageOf(text: string): string | undefined {
  let message: unknown;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    message = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message ?? body.detail);
  } catch {
    message = text;
  }
  if (typeof message !== 'string') return undefined;
  const line = message.replace(/\s+/g, ' ').trim();
  return line === '' ? undefined : line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** fetch's "fetch failed" hides the cause (ECONNREFUSED, ECONNRESET, ENOTFOUND): that is what the user needs. */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e);
}

export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
