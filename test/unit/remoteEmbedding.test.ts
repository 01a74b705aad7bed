// The OpenAI-compatible client backend (embeddingEndpoint), end to end through the CLI: against a real
// `semsearch serve` child process, and against a loopback server written here that misbehaves on cue (a 429
// storm, a request that never gets an answer, the server killed mid-run, the wrong dimensions, garbage).
// Each run either ends with the same chunks as a local run, or fails with one line and loses nothing: the
// next run resumes and ends with the same chunks.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CliRun, lastLine, runCli } from '../helpers/cliRun';
import { type Answer, MODEL, startServe, TestEndpoint, writeWorkspace } from './remoteEndpointFixture';

const LOCAL = { SEMSEARCH_MODEL: 'semsearch-code-v1' };
/** Short waits between tries, so a run that gives up does so in well under a second. */
const FAST_RETRIES = { SEMSEARCH_EMBEDDING_BACKOFF_MS: '5' };
const vectors = (dims = 8): Answer => ({ kind: 'vectors', dims });

interface FileRow {
  path: string;
  status: string;
  chunks: number;
}

function ok(r: CliRun, what: string): CliRun {
  assert.equal(r.code, 0, `${what}: exit ${r.code}\nstderr: ${r.stderr}`);
  return r;
}

/** Exactly one stderr line, starting "semsearch: " and matching `message`; no stack trace. */
function oneLineFailure(r: CliRun, message: RegExp): string {
  assert.equal(r.code, 1, `exit 1 expected; stderr: ${r.stderr}`);
  const lines = r.stderr
    .trimEnd()
    .split('\n')
    .filter(l => l.startsWith('semsearch: ') || /^\s+at /.test(l) || /Error/.test(l));
  assert.equal(lines.length, 1, `one error line:\n${r.stderr}`);
  assert.match(lines[0], message);
  return lines[0];
}

describe('remote embeddings: the OpenAI-compatible client backend through the CLI', function () {
  this.timeout(180_000);
  let tmp: string;
  let ws: string;
  /** The local run's files (path -> chunks): what every remote run must end with. */
  let reference: Map<string, number>;
  let referenceChunks: number;
  let endpoint: TestEndpoint | undefined;
  let storeN = 0;

  const filesOf = async (store: string, extra: string[] = []): Promise<Map<string, number>> => {
    const r = ok(await runCli(['files', '--store', store, '--json', ...extra], { env: LOCAL }), 'files');
    const rows = JSON.parse(r.stdout) as FileRow[];
    return new Map(rows.filter(f => f.status === 'indexed').map(f => [f.path, f.chunks]));
  };
  const remoteIndex = (store: string, url: string, extra: string[] = [], env: Record<string, string> = {}) =>
    runCli(
      [
        'index',
        ws,
        '--store',
        store,
        '--json',
        '--embedding-endpoint',
        url,
        '--embedding-model',
        MODEL,
        '--embedding-batch-size',
        '4',
        ...extra,
      ],
      { env: { ...LOCAL, ...FAST_RETRIES, ...env } },
    );
  const newStore = () => path.join(tmp, `store-${++storeN}`);
  const withEndpoint = async (answer: (n: number) => Answer): Promise<TestEndpoint> => {
    endpoint = new TestEndpoint(answer);
    await endpoint.start();
    return endpoint;
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-remote-'));
    ws = path.join(tmp, 'ws');
    writeWorkspace(ws);
    const local = ok(await runCli(['index', ws, '--store', path.join(tmp, 'local'), '--json'], { env: LOCAL }), 'local index');
    referenceChunks = (JSON.parse(lastLine(local.stdout)) as { chunks: number }).chunks;
    reference = await filesOf(path.join(tmp, 'local'));
    assert.ok(
      referenceChunks > 40 && reference.size >= 9,
      `a workspace of some size: ${referenceChunks} chunks in ${reference.size} files`,
    );
  });

  afterEach(async () => {
    await endpoint?.stop();
    endpoint = undefined;
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('indexes through a real `semsearch serve` with the same chunks and search results as a local run, and a second run embeds nothing', async () => {
    const serve = await startServe(['--port', '0'], LOCAL);
    try {
      const url = `http://127.0.0.1:${serve.port}/v1`;
      const store = newStore();
      // No --embedding-model: the first model serve lists.
      const r = ok(await runCli(['index', ws, '--store', store, '--json', '--embedding-endpoint', url], { env: LOCAL }), 'remote index');
      const summary = JSON.parse(lastLine(r.stdout)) as { chunks: number; embedded: number };
      assert.equal(summary.chunks, referenceChunks);
      const flags = ['--embedding-endpoint', url];
      assert.deepEqual(await filesOf(store, flags), reference, 'the same files with the same chunk counts');
      for (const query of ['evict the least recently used entry', 'render a list of todo items']) {
        const search = async (s: string, extra: string[]) =>
          JSON.parse(
            ok(await runCli(['search', query, '--store', s, '--json', '--mode', 'semantic', '-k', '5', ...extra], { env: LOCAL }), 'search')
              .stdout,
          ) as { path: string; startLine: number; score: number }[];
        const [local, remote] = [await search(path.join(tmp, 'local'), []), await search(store, flags)];
        assert.deepEqual(
          remote.map(h => `${h.path}:${h.startLine}`),
          local.map(h => `${h.path}:${h.startLine}`),
          `same results for "${query}"`,
        );
        remote.forEach((h, i) => assert.ok(Math.abs(h.score - local[i].score) < 1e-4, `same scores: ${h.score} vs ${local[i].score}`));
      }
      const again = ok(await runCli(['index', ws, '--store', store, '--json', '--embedding-endpoint', url], { env: LOCAL }), 'second run');
      assert.equal((JSON.parse(lastLine(again.stdout)) as { embedded: number }).embedded, 0, 'the same model id: the store is reused');
      assert.doesNotMatch(again.stderr, /rebuilt/);
    } finally {
      serve.child.kill('SIGTERM');
      assert.equal((await serve.ended).code, 143, 'serve exits 143 on SIGTERM after finishing');
    }
  });

  it('rides out a 429 storm, honouring Retry-After, and ends with the same chunks', async () => {
    // The probe is request 1; requests 2-7 are refused (fewer than the 8 tries one request has), then all are served.
    const ep = await withEndpoint(n => (n >= 2 && n <= 7 ? { kind: '429', retryAfter: '0' } : vectors()));
    const store = newStore();
    ok(await remoteIndex(store, ep.url), 'index through the storm');
    assert.equal(ep.given['429'], 6);
    assert.deepEqual(await filesOf(store, ['--embedding-endpoint', ep.url, '--embedding-model', MODEL]), reference);
  });

  it('gives up on a request that gets no answer within the timeout, tries it again, and ends with the same chunks', async () => {
    const ep = await withEndpoint(n => (n === 3 ? { kind: 'hang' } : vectors()));
    const store = newStore();
    ok(await remoteIndex(store, ep.url, ['--embedding-timeout-seconds', '0.5']), 'index past a hung request');
    assert.equal(ep.given.hang, 1);
    assert.equal(ep.abandoned, 1, 'the client closed the hung request');
    const hungInputs = ep.inputs[2];
    assert.ok(
      ep.inputs.slice(3).some(inputs => JSON.stringify(inputs) === JSON.stringify(hungInputs)),
      'the same inputs were sent again',
    );
    assert.deepEqual(await filesOf(store, ['--embedding-endpoint', ep.url, '--embedding-model', MODEL]), reference);
  });

  it('a server killed mid-run and restarted at once: the cut requests are tried again, and the run ends with the same chunks', async () => {
    const ep = await withEndpoint(n => (n === 5 ? { kind: 'kill', restart: true } : vectors()));
    const store = newStore();
    ok(await remoteIndex(store, ep.url, [], { SEMSEARCH_EMBEDDING_BACKOFF_MS: '50' }), 'index across the restart');
    assert.equal(ep.given.kill, 1);
    assert.deepEqual(await filesOf(store, ['--embedding-endpoint', ep.url, '--embedding-model', MODEL]), reference);
  });

  it('a server killed mid-run that stays down: one line, what was embedded saved; the next run resumes and ends with the same chunks', async () => {
    const ep = await withEndpoint(n => (n === 8 ? { kind: 'kill', restart: false } : vectors()));
    const store = newStore();
    const failed = await remoteIndex(store, ep.url);
    const line = oneLineFailure(
      failed,
      /^semsearch: The embedding endpoint http:\/\/127\.0\.0\.1:\d+\/v1 could not be reached \((ECONNREFUSED|ECONNRESET)\) \(8 tries\); start it or correct embeddingEndpoint, then run again; [\d,]+ chunks are saved and the next run resumes from them\.$/,
    );
    const saved = Number(/; ([\d,]+) chunks are saved/.exec(line)![1].replace(/,/g, ''));
    assert.ok(saved > 0 && saved < referenceChunks, `some chunks saved: ${saved}`);
    await ep.start(ep.port);
    ep.answer = () => vectors();
    const resumed = ok(await remoteIndex(store, ep.url), 'the next run');
    assert.match(resumed.stderr, /resuming an interrupted run/);
    const summary = JSON.parse(lastLine(resumed.stdout)) as { chunks: number; embedded: number };
    assert.equal(summary.chunks, referenceChunks);
    assert.ok(summary.embedded < referenceChunks, `only what was not saved is embedded again (${summary.embedded})`);
    assert.deepEqual(await filesOf(store, ['--embedding-endpoint', ep.url, '--embedding-model', MODEL]), reference);
  });

  it('a server that starts answering other dimensions: one line; the next run says the index is rebuilt for the new size and ends with the same chunks', async () => {
    const ep = await withEndpoint(n => vectors(n <= 6 ? 8 : 12));
    const store = newStore();
    oneLineFailure(
      await remoteIndex(store, ep.url),
      /^semsearch: The embedding endpoint \S+ now answers 12-dimension vectors, not 8: the model behind it changed; run again to rebuild the index with it; [\d,]+ chunks are saved and the next run resumes from them\.$/,
    );
    const again = ok(await remoteIndex(store, ep.url), 'the next run');
    assert.match(again.stderr, /built with model openai:fake-embed:8 .*not openai:fake-embed:12 .*it is rebuilt\./);
    assert.equal((JSON.parse(lastLine(again.stdout)) as { chunks: number }).chunks, referenceChunks);
    assert.deepEqual(await filesOf(store, ['--embedding-endpoint', ep.url, '--embedding-model', MODEL]), reference);
  });

  it('a server that answers garbage: one line naming it, nothing stored wrong; the next run resumes and ends with the same chunks', async () => {
    for (const body of ['{"data": [', '{"data": [{"index": 0, "embedding": "AAAA"}]}', '{"object": "list"}']) {
      const ep = await withEndpoint(n => (n === 4 ? { kind: 'garbage', body } : vectors()));
      const store = newStore();
      oneLineFailure(
        await remoteIndex(store, ep.url),
        /^semsearch: The embedding endpoint \S+ answered something that is not an OpenAI embeddings response \((a body that is not JSON|a base64 embedding|no data list|\d+ vectors for \d+ inputs)[^)]*\); check that embeddingEndpoint names an OpenAI-compatible \/v1 endpoint; [\d,]+ chunks are saved/,
      );
      ep.answer = () => vectors();
      ok(await remoteIndex(store, ep.url), 'the next run');
      assert.deepEqual(await filesOf(store, ['--embedding-endpoint', ep.url, '--embedding-model', MODEL]), reference);
      await ep.stop();
    }
  });

  it('an endpoint that is not there, or a bad URL: one line before anything is done', async () => {
    const ep = await withEndpoint(() => vectors());
    const port = ep.port;
    await ep.stop();
    oneLineFailure(
      await remoteIndex(newStore(), `http://127.0.0.1:${port}/v1`),
      /^semsearch: The embedding endpoint http:\/\/127\.0\.0\.1:\d+\/v1 could not be reached \(ECONNREFUSED\) \(8 tries\); start it or correct embeddingEndpoint, then run again\.$/,
    );
    oneLineFailure(
      await remoteIndex(newStore(), 'ftp://example.org/v1'),
      /^semsearch: embeddingEndpoint must be an http:\/\/ or https:\/\/ URL such as http:\/\/127\.0\.0\.1:8080\/v1; got "ftp:\/\/example\.org\/v1"\.$/,
    );
  });
});
