// `semsearch serve`'s HTTP server (node:http): this machine's embedding backend behind OpenAI's
// POST /v1/embeddings and GET /v1/models, plus GET /health. A bounded number of requests embed at once and a
// bounded number wait (admission.ts); bodies, inputs and input lengths are capped; a bearer token, when set,
// is required on every /v1 route. close() stops taking connections, lets the requests in progress finish,
// then stops the backend.

import { createHash, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { queryIds, type Embedder, type EmbeddingBackend, type EmbedItem } from '../engine';
import { Admission } from './admission';
import { DEFAULT_LIMITS, parseEmbeddingsRequest, type ServeLimits } from './embeddingsRequest';
import { RequestError, sendError, sendJson } from './openAiErrors';

/** The position limit of the BERT-style models the engine runs: a longer input is cut here, as OpenAI's servers cut theirs. */
const MAX_INPUT_TOKENS = 512;
/** What a 429 tells a client to wait, in seconds: a batch of a few hundred chunks takes well under that. */
const RETRY_AFTER_S = 1;
/** How long close() waits for requests in progress before it closes their connections. */
const CLOSE_GRACE_MS = 10_000;

export interface ServeOptions {
  backend: EmbeddingBackend;
  /** The name the model is served under (and accepted by): the backend's id, plus the plain id the settings gave. */
  modelNames: readonly string[];
  host: string;
  port: number;
  /** Items per call to the embedder: a request's inputs are embedded in batches of this many. */
  batchSize: number;
  poolSize: number;
  memoryLimitMB: number;
  concurrency: number;
  queue: number;
  token?: string;
  limits?: ServeLimits;
}

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  /** Stops taking requests, finishes those in progress, stops the backend. */
  close(): Promise<void>;
}

export async function startEmbeddingsServer(opts: ServeOptions): Promise<RunningServer> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const { embedder } = await opts.backend.start(opts.poolSize, opts.memoryLimitMB);
  const admission = new Admission(opts.concurrency, opts.queue);
  const tokenHash = opts.token ? sha256(opts.token) : undefined;
  let closing = false;
  const served = { name: opts.modelNames[0], dims: opts.backend.dims };

  const server = http.createServer((req, res) => {
    if (closing) res.setHeader('connection', 'close');
    // A connection whose last request ends after close() began would otherwise idle until its keep-alive timeout.
    res.on('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    handle(req, res).catch((e: unknown) => {
      if (e instanceof RequestError) sendError(res, e);
      else
        sendError(res, new RequestError(500, `Embedding failed: ${String((e as Error)?.message ?? e).split('\n')[0]}`, 'embedding_failed'));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname.replace(/\/+$/, '');
    if (route === '/health') {
      expectMethod(req, 'GET');
      sendJson(res, 200, {
        status: closing ? 'closing' : 'ok',
        model: served.name,
        dims: served.dims,
        running: admission.runningCount,
        waiting: admission.waitingCount,
      });
      return;
    }
    if (route !== '/v1/models' && route !== '/v1/embeddings')
      throw new RequestError(
        404,
        `No route ${url.pathname}; this server answers POST /v1/embeddings, GET /v1/models and GET /health.`,
        'not_found',
      );
    authorize(req, tokenHash);
    if (route === '/v1/models') {
      expectMethod(req, 'GET');
      sendJson(res, 200, { object: 'list', data: [{ id: served.name, object: 'model', created: 0, owned_by: 'semsearch' }] });
      return;
    }
    expectMethod(req, 'POST');
    if (closing)
      throw new RequestError(
        503,
        'The server is shutting down; send the request to another server or try again when it is back.',
        'shutting_down',
        { 'retry-after': String(RETRY_AFTER_S) },
      );
    // Over the queue the request is refused before its body is read: the bound on memory holds.
    const ticket = admission.enter();
    if (!ticket)
      throw new RequestError(
        429,
        `The server is busy (${admission.limit} requests embedding, ${admission.queue} waiting); try again in ${RETRY_AFTER_S} s.`,
        'rate_limit_exceeded',
        { 'retry-after': String(RETRY_AFTER_S) },
      );
    res.on('close', () => ticket.leave());
    const text = await readBody(req, limits.maxBodyBytes);
    const parsed = parseEmbeddingsRequest(text, limits, opts.modelNames, served.dims);
    await ticket.ready;
    if (res.destroyed) return; // the client went away while it waited
    const items: EmbedItem[] = parsed.inputs.map(input => ({
      ids: queryIds(opts.backend.tokenizer, input, MAX_INPUT_TOKENS),
      text: input,
    }));
    const vectors = await embedInBatches(embedder, items, opts.batchSize);
    ticket.leave();
    const tokens = items.reduce((n, i) => n + i.ids.length, 0);
    sendJson(res, 200, {
      object: 'list',
      model: served.name,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
      data: vectors.map((v, index) => ({
        object: 'embedding',
        index,
        embedding: parsed.encoding === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v),
      })),
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    port: address.port,
    host: opts.host,
    close: async () => {
      closing = true;
      const closed = new Promise<void>(resolve => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await opts.backend.stop();
    },
  };
}

/** A request's inputs in batches of the embedder's size, all queued at once (the pool spreads them over its workers). */
async function embedInBatches(embedder: Embedder, items: EmbedItem[], batchSize: number): Promise<Float32Array[]> {
  const size = Math.max(1, batchSize);
  const batches: Promise<Float32Array[]>[] = [];
  for (let i = 0; i < items.length; i += size) batches.push(embedder.embed(items.slice(i, i + size)));
  return (await Promise.all(batches)).flat();
}

function expectMethod(req: http.IncomingMessage, method: string): void {
  if (req.method !== method)
    throw new RequestError(405, `${req.method} is not answered here; use ${method}.`, 'method_not_allowed', { allow: method });
}

function authorize(req: http.IncomingMessage, tokenHash: Buffer | undefined): void {
  if (!tokenHash) return;
  const header = req.headers.authorization ?? '';
  const given = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  // Hashed first, so the comparison takes the same time whatever the lengths.
  if (given !== undefined && timingSafeEqual(sha256(given.trim()), tokenHash)) return;
  throw new RequestError(
    401,
    given === undefined
      ? 'This server needs a token: send Authorization: Bearer <token>.'
      : "The token is not this server's; send the one it was started with.",
    'invalid_api_key',
    { 'www-authenticate': 'Bearer' },
  );
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** The body as text, refused (413) once it passes `maxBytes`, without reading the rest. */
function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let bytes = 0;
    req.on('data', (part: Buffer) => {
      bytes += part.length;
      if (bytes > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      parts.push(part);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function tooLarge(maxBytes: number): RequestError {
  return new RequestError(
    413,
    `The request body is over ${maxBytes / 1048576} MB; send fewer or shorter inputs per request.`,
    'request_too_large',
    { connection: 'close' },
  );
}
