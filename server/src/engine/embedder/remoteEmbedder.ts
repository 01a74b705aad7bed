// Embeds through an OpenAI-compatible endpoint: items are cut into requests bounded in inputs and in tokens,
// at most `requests` of them wait on the endpoint at once, each is tried again with backoff on the network,
// timeouts, 429 and 5xx (as long as Retry-After asks), and each answer is checked (one vector per input,
// placed by its `index`, every one of the dimensions the first answer had, the same model) and normalised.
// What cannot be fixed by trying again, or still fails after every try, is an EmbedderUnavailableError:
// an index run stops on it and saves what it has.

import { EmbedderUnavailableError, type Embedder, type EmbedItem } from './backend';
import { API_KEY_WAYS, EndpointRequest, TryFailure, tryRequest } from './embeddingsClient';
import { RequestSlots } from './requestSlots';
import { parseRetryAfter, retryDelayMs, type RetryPolicy } from './retryPolicy';

export interface RemoteOptions {
  /** The base URL as the user gave it, tidied (no trailing slash); requests go to <base>/embeddings. */
  base: string;
  model: string;
  apiKey?: string;
  maxInputs: number;
  maxTokens: number;
  requests: number;
  timeoutMs: number;
  retry: RetryPolicy;
}

/** What the endpoint answered first: every later answer must agree. */
export interface RemoteShape {
  dims: number;
  /** The model the endpoint says it used ('' when it says none). */
  model: string;
}

export class RemoteEmbedder implements Embedder {
  private readonly slots: RequestSlots;
  /** Set by the first answer (the backend's probe). */
  shape?: RemoteShape;

  constructor(private readonly opts: RemoteOptions) {
    this.slots = new RequestSlots(opts.requests);
  }

  async embed(items: readonly EmbedItem[], urgent = false): Promise<Float32Array[]> {
    const answers = await Promise.all(
      requestsOf(items, this.opts.maxInputs, this.opts.maxTokens).map(group => this.embedGroup(group, urgent)),
    );
    return answers.flat();
  }

  /** One request's items, tried until it works or cannot; a 413 for several inputs is tried again as two halves. */
  private async embedGroup(items: readonly EmbedItem[], urgent: boolean): Promise<Float32Array[]> {
    const req: EndpointRequest = {
      url: `${this.opts.base}/embeddings`,
      apiKey: this.opts.apiKey,
      timeoutMs: this.opts.timeoutMs,
      body: { model: this.opts.model, input: items.map(i => i.text), encoding_format: 'float' },
    };
    const failures: TryFailure[] = [];
    for (let attempt = 1; ; attempt++) {
      await this.slots.acquire(urgent);
      let result;
      try {
        result = await tryRequest(req);
      } finally {
        this.slots.release();
      }
      if (result.ok) return this.vectorsOf(result.body, items.length);
      const failure = result.failure;
      if (failure.kind === 'refused' && failure.status === 413 && items.length > 1) {
        const half = Math.ceil(items.length / 2);
        const [a, b] = await Promise.all([this.embedGroup(items.slice(0, half), urgent), this.embedGroup(items.slice(half), urgent)]);
        return [...a, ...b];
      }
      failures.push(failure);
      if (failure.kind !== 'retry' || attempt >= this.opts.retry.maxAttempts) throw this.giveUp(failures, items);
      const retryAfter = parseRetryAfter(failure.retryAfter);
      const wait = retryDelayMs(this.opts.retry, attempt, retryAfter);
      if (retryAfter !== undefined) this.slots.holdFor(wait);
      await new Promise(resolve => setTimeout(resolve, wait));
    }
  }

  /** The vectors of a 200 answer in input order, normalised; throws one line when the answer is not right. */
  private vectorsOf(body: unknown, count: number): Float32Array[] {
    const garbage = (why: string) =>
      this.unavailable(
        `answered something that is not an OpenAI embeddings response (${why}); check that embeddingEndpoint names an OpenAI-compatible /v1 endpoint`,
      );
    const data = (body as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) return garbage('no data list');
    if (data.length !== count) return garbage(`${data.length} vectors for ${count} inputs`);
    const model = typeof (body as { model?: unknown }).model === 'string' ? (body as { model: string }).model : '';
    const out: (Float32Array | undefined)[] = new Array(count);
    for (const [n, entry] of data.entries()) {
      const { index, embedding } = (entry ?? {}) as { index?: unknown; embedding?: unknown };
      // Servers that leave `index` out answer in input order.
      const i = index === undefined ? n : index;
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= count || out[i])
        return garbage(`an index ${JSON.stringify(i)} that is not one of 0 to ${count - 1} once each`);
      if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every(x => typeof x === 'number' && Number.isFinite(x))) {
        return garbage(
          typeof embedding === 'string'
            ? 'a base64 embedding, though "float" was asked for'
            : `an embedding at index ${i} that is not a list of numbers`,
        );
      }
      out[i] = normalised(embedding as number[]);
    }
    const dims = out[0]!.length;
    if (out.some(v => v!.length !== dims)) return garbage('vectors of different lengths in one answer');
    if (!this.shape) this.shape = { dims, model };
    else if (dims !== this.shape.dims) {
      return this.unavailable(
        `now answers ${dims}-dimension vectors, not ${this.shape.dims}: the model behind it changed; run again to rebuild the index with it`,
      );
    } else if (model && this.shape.model && model !== this.shape.model) {
      return this.unavailable(`now answers with model ${model}, not ${this.shape.model}; run again to rebuild the index with it`);
    }
    return out as Float32Array[];
  }

  /** The one line for a request that will not succeed; requests waiting for a slot fail with it at once. */
  private giveUp(failures: TryFailure[], items: readonly EmbedItem[]): EmbedderUnavailableError {
    const last = failures[failures.length - 1];
    const tries = failures.length === 1 ? '' : ` (${failures.length} tries)`;
    let line: string;
    if (last.kind === 'garbage')
      line = `answered something that is not an OpenAI embeddings response (${last.why}); check that embeddingEndpoint names an OpenAI-compatible /v1 endpoint`;
    else if (last.kind === 'refused') line = refusalLine(last, items);
    else if (last.status === 429)
      line = `was still busy (429) after ${failures.length} tries; lower embeddingRequests or embeddingBatchSize, or try again later`;
    else if (last.status) line = `failed with ${last.why}${tries}; see the endpoint's log, then run again`;
    else if (last.why.startsWith('no answer within'))
      line = `gave ${last.why}${tries}; raise embeddingTimeoutSeconds or lower embeddingBatchSize, then run again`;
    else line = `could not be reached (${last.why})${tries}; start it or correct embeddingEndpoint, then run again`;
    const error = this.error(line);
    this.slots.failWaiting(error);
    return error;
  }

  private unavailable(line: string): never {
    const error = this.error(line);
    this.slots.failWaiting(error);
    throw error;
  }

  private error(line: string): EmbedderUnavailableError {
    return new EmbedderUnavailableError(`The embedding endpoint ${this.opts.base} ${line}.`);
  }
}

function refusalLine(f: Extract<TryFailure, { kind: 'refused' }>, items: readonly EmbedItem[]): string {
  if (f.status === 401 || f.status === 403) return `refused the request (${f.why}); give it an API key it accepts through ${API_KEY_WAYS}`;
  if (f.status === 404)
    return `answered ${f.why}; check embeddingEndpoint (the base URL, ending in /v1 for most servers) and embeddingModel`;
  if (f.status === 413)
    return `refused a piece of code of about ${items[0]?.ids.length ?? 0} tokens as too large (413); lower maxChunkTokens`;
  return `refused the request (${f.why}); check embeddingModel and the endpoint's limits (embeddingBatchSize, embeddingBatchTokens)`;
}

/** Consecutive groups of at most `maxInputs` items and about `maxTokens` tokens (an item over it goes alone). */
export function requestsOf(items: readonly EmbedItem[], maxInputs: number, maxTokens: number): EmbedItem[][] {
  const groups: EmbedItem[][] = [];
  let group: EmbedItem[] = [];
  let tokens = 0;
  for (const item of items) {
    if (group.length > 0 && (group.length >= maxInputs || tokens + item.ids.length > maxTokens)) {
      groups.push(group);
      group = [];
      tokens = 0;
    }
    group.push(item);
    tokens += item.ids.length;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The vector at unit length (cosine search assumes it); a zero vector becomes the same fixed unit one as in the static model. */
function normalised(values: number[]): Float32Array {
  const v = Float32Array.from(values);
  let norm = 0;
  for (const x of v) norm += x * x;
  if (norm === 0) return v.fill(1 / Math.sqrt(v.length));
  const inv = 1 / Math.sqrt(norm);
  for (let j = 0; j < v.length; j++) v[j] *= inv;
  return v;
}
