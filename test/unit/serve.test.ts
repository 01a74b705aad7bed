// `semsearch serve`'s HTTP server on loopback, in this process with the built-in static model (a real
// node:http server, real requests): the OpenAI-shaped answers and errors, the token, the concurrency limit
// and bounded queue, graceful close; then the CLI command itself (a child process): the warning off
// loopback, signals, a port in use.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DEFAULT_MODEL_ID } from '../../common/settings';
import type { EmbeddingBackend, EmbedItem, RunningEmbedder } from '../../server/src/engine/embedder/backend';
import { StaticBackend } from '../../server/src/engine/embedder/staticBackend';
import { bundledModelsDir } from '../../server/src/engine/model/bundledModels';
import { queryIds } from '../../server/src/engine/search/search';
import { type RunningServer, type ServeOptions, startEmbeddingsServer } from '../../server/src/serve/embeddingsServer';
import { runCli } from '../helpers/cliRun';
import { startServe } from './remoteEndpointFixture';

/** The built-in model, whose embed() waits for the test to open a gate, and says when a request reached it. */
class GatedBackend implements EmbeddingBackend {
  readonly inProcess = true;
  private gate?: Promise<void>;
  private openGate = () => {};
  private enteredWaiters: (() => void)[] = [];
  entered = 0;

  constructor(private readonly inner: StaticBackend) {}
  get modelId() {
    return this.inner.modelId;
  }
  get dims() {
    return this.inner.dims;
  }
  get dir() {
    return this.inner.dir;
  }
  get tokenizer() {
    return this.inner.tokenizer;
  }
  close(): void {
    this.gate = new Promise(resolve => {
      this.openGate = resolve;
    });
  }
  open(): void {
    this.openGate();
    this.gate = undefined;
  }
  /** Resolves once `n` calls have reached the model. */
  reached(n: number): Promise<void> {
    return this.entered >= n
      ? Promise.resolve()
      : new Promise(resolve =>
          this.enteredWaiters.push(() => {
            if (this.entered >= n) resolve();
          }),
        );
  }
  async start(): Promise<RunningEmbedder> {
    const { embedder } = await this.inner.start();
    return {
      batchesInFlight: 1,
      embedder: {
        embed: async (items: readonly EmbedItem[]) => {
          this.entered++;
          for (const w of this.enteredWaiters) w();
          await this.gate;
          return embedder.embed(items);
        },
      },
    };
  }
  stop() {
    return Promise.resolve();
  }
  workerStats() {
    return [];
  }
  workerPids() {
    return [];
  }
}

const builtIn = () => StaticBackend.load(path.join(bundledModelsDir()!, DEFAULT_MODEL_ID), DEFAULT_MODEL_ID);

/** What the server answers: OpenAI's list of embeddings, or its error shape. */
interface Answer {
  object?: string;
  model?: string;
  usage?: { prompt_tokens: number };
  data?: { index: number; embedding: number[] | string }[];
  error?: { message: string; type: string; code: string };
}

async function post(
  base: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Answer }> {
  const res = await fetch(`${base}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Answer };
}

async function getJson<T>(url: string): Promise<{ status: number; json: T }> {
  const res = await fetch(url);
  return { status: res.status, json: (await res.json()) as T };
}

function assertError(r: { status: number; json: Answer }, status: number, code: string, message?: RegExp): void {
  assert.equal(r.status, status, JSON.stringify(r.json));
  const error = r.json.error!;
  assert.equal(error.code, code);
  assert.equal(typeof error.type, 'string');
  assert.equal(typeof error.message, 'string');
  assert.doesNotMatch(error.message, /\n/, 'one line');
  if (message) assert.match(error.message, message);
}

describe('semsearch serve: OpenAI-compatible embeddings over HTTP', function () {
  this.timeout(60_000);
  let server: RunningServer | undefined;
  let base: string;
  const start = async (backend: EmbeddingBackend, opts: Partial<ServeOptions> = {}) => {
    server = await startEmbeddingsServer({
      backend,
      modelNames: [backend.modelId, DEFAULT_MODEL_ID],
      host: '127.0.0.1',
      port: 0,
      batchSize: 8,
      poolSize: 0,
      memoryLimitMB: 1024,
      concurrency: 2,
      queue: 4,
      ...opts,
    });
    base = `http://127.0.0.1:${server.port}`;
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("answers a string or a list with the model's own vectors in input order, as float or base64; lists the model; says it is healthy", async () => {
    const backend = builtIn();
    await start(backend);
    const texts = ['function evict(cache) { cache.pop(); }', 'def total(xs):\n    return sum(xs)', ''];
    const { embedder } = await backend.start();
    const want = await embedder.embed(texts.map(t => ({ ids: queryIds(backend.tokenizer, t, 512), text: t })));
    const list = await post(base, { model: DEFAULT_MODEL_ID, input: texts, encoding_format: 'float' });
    assert.equal(list.status, 200);
    assert.equal(list.json.object, 'list');
    assert.equal(list.json.model, backend.modelId);
    assert.ok(list.json.usage!.prompt_tokens > 0);
    assert.deepEqual(
      list.json.data!.map(d => d.index),
      [0, 1, 2],
    );
    list.json.data!.forEach((d, i) => assert.deepEqual(Float32Array.from(d.embedding as number[]), want[i]));
    const one = await post(base, { input: texts[1] });
    assert.deepEqual(Float32Array.from(one.json.data![0].embedding as number[]), want[1]);
    const b64 = await post(base, { input: [texts[0]], encoding_format: 'base64', model: backend.modelId });
    const bytes = Buffer.from(b64.json.data![0].embedding as string, 'base64');
    assert.deepEqual(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), want[0]);
    const models = await getJson<{ data: { id: string }[] }>(`${base}/v1/models`);
    assert.deepEqual(
      models.json.data.map(m => m.id),
      [backend.modelId],
    );
    const health = await getJson<{ status: string; dims: number }>(`${base}/health`);
    assert.deepEqual({ status: health.json.status, dims: health.json.dims }, { status: 'ok', dims: backend.dims });
  });

  it('refuses bad requests with OpenAI-shaped one-line errors, and keeps serving', async () => {
    await start(builtIn(), { limits: { maxBodyBytes: 4000, maxInputs: 4, maxInputChars: 100 } });
    assertError(await post(base, '{"input": ['), 400, 'invalid_json', /not JSON/);
    assertError(await post(base, '[1, 2]'), 400, 'invalid_request');
    assertError(await post(base, { input: [101, 2003] }), 400, 'token_ids_not_supported', /Token ids are not accepted/);
    assertError(await post(base, { input: [[101, 2003]] }), 400, 'token_ids_not_supported');
    assertError(await post(base, { input: [] }), 400, 'invalid_input', /empty list/);
    assertError(await post(base, { input: ['a', { text: 'b' }] }), 400, 'invalid_input', /input\[1\] is not a string/);
    assertError(await post(base, { input: ['a', 'b', 'c', 'd', 'e'] }), 400, 'too_many_inputs', /at most 4/);
    assertError(await post(base, { input: ['x'.repeat(101)] }), 400, 'input_too_long', /101 characters; send at most 100/);
    assertError(await post(base, { input: Array(50).fill('z'.repeat(99)) }), 413, 'request_too_large');
    assertError(
      await post(base, { input: 'a', model: 'text-embedding-3-small' }),
      404,
      'model_not_found',
      /"text-embedding-3-small" is not served here; this server serves semsearch-code-v1@/,
    );
    assertError(await post(base, { input: 'a', encoding_format: 'int8' }), 400, 'invalid_encoding_format');
    assertError(await post(base, { input: 'a', dimensions: 3 }), 400, 'invalid_dimensions');
    assertError(await getJson<Answer>(`${base}/v1/embeddings`), 405, 'method_not_allowed');
    assertError(await getJson<Answer>(`${base}/v2/anything`), 404, 'not_found');
    assert.equal((await post(base, { input: 'still serving' })).status, 200);
  });

  it('with a token: none or another gets 401, the right one 200; /health needs none', async () => {
    await start(builtIn(), { token: 's3cret' });
    assertError(await post(base, { input: 'a' }), 401, 'invalid_api_key', /needs a token/);
    assertError(await post(base, { input: 'a' }, { authorization: 'Bearer nope' }), 401, 'invalid_api_key', /not this server's/);
    assert.equal((await fetch(`${base}/v1/models`)).status, 401);
    assert.equal((await post(base, { input: 'a' }, { authorization: 'Bearer s3cret' })).status, 200);
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });

  it('over the concurrency limit a request waits; over the queue it is told 429 with Retry-After; every waiting request is answered', async () => {
    const backend = new GatedBackend(builtIn());
    await start(backend, { concurrency: 1, queue: 1 });
    backend.close();
    const first = post(base, { input: 'first' });
    await backend.reached(1);
    const second = post(base, { input: 'second' });
    // The second is in the queue once /health counts it (no sleep: each check is a request).
    while ((await getJson<{ waiting: number }>(`${base}/health`)).json.waiting < 1) {
      /* ask again */
    }
    const third = await post(base, { input: 'third' });
    assertError(third, 429, 'rate_limit_exceeded', /busy/);
    assert.equal(third.headers.get('retry-after'), '1');
    backend.open();
    assert.deepEqual([(await first).status, (await second).status], [200, 200]);
    assert.equal(backend.entered, 2, 'the refused request never reached the model');
  });

  it('close() finishes the request in progress, then listens no more', async () => {
    const backend = new GatedBackend(builtIn());
    await start(backend);
    backend.close();
    const inProgress = post(base, { input: 'in progress' });
    await backend.reached(1);
    const closed = server!.close();
    server = undefined;
    backend.open();
    assert.equal((await inProgress).status, 200);
    await closed;
    await assert.rejects(fetch(`${base}/health`), /fetch failed/);
  });

  describe('the CLI command', () => {
    const env = { SEMSEARCH_MODEL: DEFAULT_MODEL_ID };

    it('off loopback it warns in one line; a token from SEMSEARCH_SERVE_TOKEN is required; SIGINT ends it with 130', async () => {
      const serve = await startServe(['--port', '0', '--host', '0.0.0.0'], { ...env, SEMSEARCH_SERVE_TOKEN: 'team-token' });
      const url = `http://127.0.0.1:${serve.port}`;
      assert.equal((await fetch(`${url}/v1/models`)).status, 401);
      assert.equal((await post(url, { input: 'x' }, { authorization: 'Bearer team-token' })).status, 200);
      serve.child.kill('SIGINT');
      assert.equal((await serve.ended).code, 130);
      const lines = serve.stderr().trimEnd().split('\n');
      assert.match(
        lines[0],
        /^semsearch: listening on 0\.0\.0\.0, not only this machine: whoever reaches port \d+ can send text to embed; use the default 127\.0\.0\.1 to keep it local\.$/,
      );
      assert.match(lines[1], /^semsearch: stopping: finishing the requests in progress/);
    });

    it('a port in use: one line, exit 1; a bad --port: a usage error', async () => {
      const serve = await startServe(['--port', '0'], env);
      try {
        const r = await runCli(['serve', '--port', String(serve.port)], { env });
        assert.equal(r.code, 1);
        assert.match(
          r.stderr,
          /^semsearch: port \d+ on 127\.0\.0\.1 is in use; stop what holds it or give another --port \(0 picks a free one\)\.\n$/,
        );
      } finally {
        serve.child.kill('SIGTERM');
        await serve.ended;
      }
      const bad = await runCli(['serve', '--port', '70000'], { env });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^semsearch: --port must be a whole number from 0 to 65535; got "70000"; see "semsearch serve --help"\n$/);
    });
  });
});
