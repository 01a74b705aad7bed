// `semsearch serve` under load, and indexing through it (npm run bench:serve; README "Remote embeddings"):
// 1. 50 concurrent clients, each sending batches of real chunk texts: every request must be answered 200 or
//    429 (a 429 waits its Retry-After and goes on); p50/p99 latency; the peak RSS of serve's process tree.
// 2. serve's own embedding throughput: chunks/s with enough requests in flight to keep it saturated.
// 3. a cold `semsearch index` of the corpus through serve (embeddingEndpoint), beside the same run local.
// The corpus is the benchmark's (.bench/corpus-x1, `npm run bench` fetches it) or, without it, a folder of
// this package's own dependencies. Options: --model ID (serve's; default the built-in model), --corpus DIR,
// --clients N (50), --requests N per client (20), --inputs N per request (16), --concurrency N, --queue N.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, type EngineSettings } from '../common/settings';
import { Chunker, chunkOptionsFromSettings } from '../server/src/engine/chunker/chunker';
import { StaticBackend } from '../server/src/engine/embedder/staticBackend';
import { MAX_LINE_CHARS } from '../server/src/engine/indexer/indexer';
import { bundledModelsDir } from '../server/src/engine/model/bundledModels';
import { readSourceFile } from '../server/src/engine/scanner/contentCheck';
import { readOptions, walkOptions } from '../server/src/engine/scanner/scanOptions';
import { walk } from '../server/src/engine/scanner/walker';
import { watchTree } from './procTree';
import { percentile } from './stats';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SAMPLE_CHUNKS = 4000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const opts = {
  model: arg('model', 'semsearch-code-v1'),
  corpus: arg('corpus', ''),
  clients: Number(arg('clients', '50')),
  requests: Number(arg('requests', '20')),
  inputs: Number(arg('inputs', '16')),
  concurrency: arg('concurrency', ''),
  queue: arg('queue', ''),
};

const env: NodeJS.ProcessEnv = {
  ...process.env,
  SEMSEARCH_MODEL: opts.model,
  SEMSEARCH_MODEL_DIR: process.env.SEMSEARCH_MODEL_DIR || path.resolve(ROOT, '..', 'shared', 'models'),
};

/** The bench corpus when fetched; else a copy of a few dependencies' sources (node_modules itself is never indexed). */
function corpusDir(): string {
  if (opts.corpus) return path.resolve(opts.corpus);
  const benchCorpus = path.join(ROOT, '.bench', 'corpus-x1');
  if (fs.existsSync(path.join(benchCorpus, '.complete'))) return benchCorpus;
  const dir = path.join(ROOT, '.bench', 'serve-corpus');
  if (!fs.existsSync(dir)) {
    for (const pkg of [
      'commander',
      'lru-cache',
      'ignore',
      'vscode-languageserver',
      'vscode-languageserver-protocol',
      'vscode-jsonrpc',
      'minisearch',
    ]) {
      const from = path.join(ROOT, 'node_modules', pkg);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, pkg), { recursive: true });
    }
  }
  return dir;
}

/** Real chunk texts, cut as an index run cuts them (the built-in tokenizer, the default budget). */
async function sampleTexts(root: string): Promise<string[]> {
  const settings: EngineSettings = { ...DEFAULT_SETTINGS, excludeGlobs: [] };
  const tokenizer = StaticBackend.load(path.join(bundledModelsDir()!, 'semsearch-code-v1'), 'semsearch-code-v1').tokenizer;
  const chunker = await Chunker.create();
  const out: string[] = [];
  for await (const ev of walk(root, walkOptions(settings))) {
    if (out.length >= SAMPLE_CHUNKS) break;
    if (ev.kind !== 'file') continue;
    const read = await readSourceFile(ev.file, readOptions(settings, MAX_LINE_CHARS));
    if (!read.ok) continue;
    const res = await chunker.chunkFile(ev.file.path, read.text, tokenizer, {
      ...chunkOptionsFromSettings(settings),
      maxLineChars: MAX_LINE_CHARS,
    });
    out.push(...res.chunks.map(c => c.text));
  }
  chunker.dispose();
  return out.slice(0, SAMPLE_CHUNKS);
}

interface Serve {
  child: ChildProcess;
  port: number;
}

function startServe(): Promise<Serve> {
  const args = [
    CLI,
    'serve',
    '--port',
    '0',
    ...(opts.concurrency ? ['--concurrency', opts.concurrency] : []),
    ...(opts.queue ? ['--queue', opts.queue] : []),
  ];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', d => {
      out += String(d);
      const m = /listening on http:\/\/\S+:(\d+)\/v1 \((.*)\)/.exec(out);
      if (m) {
        console.log(`serve: ${m[2]}, pid ${child.pid}`);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', code => reject(new Error(`serve exited (${code}) before it listened`)));
  });
}

async function post(url: string, input: string[]): Promise<{ status: number; retryAfter: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input, encoding_format: 'float' }),
  });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: Number(res.headers.get('retry-after') ?? 0), ms: performance.now() - t0 };
}

/** `clients` clients, each sending `requests` requests one after another; a 429 waits its Retry-After and counts as answered. */
async function loadTest(url: string, texts: string[]) {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const ok: number[] = [];
  let failures = 0;
  const client = async (c: number) => {
    for (let r = 0; r < opts.requests; r++) {
      const start = ((c * opts.requests + r) * opts.inputs) % (texts.length - opts.inputs);
      try {
        const res = await post(url, texts.slice(start, start + opts.inputs));
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        latencies.push(res.ms);
        if (res.status === 200) ok.push(res.ms);
        else if (res.status === 429) await new Promise(resolve => setTimeout(resolve, res.retryAfter * 1000));
      } catch {
        failures++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: opts.clients }, (_, c) => client(c)));
  return {
    seconds: (performance.now() - t0) / 1000,
    statuses,
    failures,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    okP50: percentile(ok, 50),
    okP99: percentile(ok, 99),
  };
}

/** Chunks/s serve sustains: every sample text once, in requests of 64 with 8 in flight (more than serve runs at once). */
async function serveThroughput(url: string, texts: string[]): Promise<number> {
  const batches: string[][] = [];
  for (let i = 0; i < texts.length; i += 64) batches.push(texts.slice(i, i + 64));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        for (;;) {
          const res = await post(url, batch);
          if (res.status === 200) break;
          if (res.status !== 429) throw new Error(`serve answered ${res.status}`);
          await new Promise(resolve => setTimeout(resolve, res.retryAfter * 1000));
        }
      }
    }),
  );
  return texts.length / ((performance.now() - t0) / 1000);
}

function indexRun(corpus: string, store: string, extra: string[]): Promise<{ chunks: number; embedded: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, 'index', corpus, '--store', store, '--json', ...extra],
      { env, maxBuffer: 64 * 1048576 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`index failed: ${stderr.trim().split('\n').pop()}`));
          return;
        }
        resolve(JSON.parse(stdout.trimEnd().split('\n').pop()!) as { chunks: number; embedded: number; seconds: number });
      },
    );
  });
}

function peakRssOfPid(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const corpus = corpusDir();
  const texts = await sampleTexts(corpus);
  console.log(`corpus ${corpus}: ${texts.length} sample chunks; ${os.cpus().length} cores`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-serve-bench-'));
  const serve = await startServe();
  const url = `http://127.0.0.1:${serve.port}/v1`;
  const watch = watchTree(serve.child.pid!, 100);
  try {
    await post(url, texts.slice(0, 8)); // warm: workers started, code paths compiled
    const load = await loadTest(url, texts);
    const own = await serveThroughput(url, texts);
    const remote = await indexRun(corpus, path.join(tmp, 'remote'), ['--embedding-endpoint', url]);
    const tree = watch.stop();
    const local = await indexRun(corpus, path.join(tmp, 'local'), []);
    const peakMB = Math.max(tree.peakBytes, peakRssOfPid(serve.child.pid!)) / 1048576;
    const remoteRate = remote.embedded / remote.seconds;
    const localRate = local.embedded / local.seconds;
    const total = Object.values(load.statuses).reduce((a, b) => a + b, 0);
    const results = {
      model: opts.model,
      clients: opts.clients,
      requestsPerClient: opts.requests,
      inputsPerRequest: opts.inputs,
      load: {
        requests: total,
        statuses: load.statuses,
        failures: load.failures,
        seconds: round(load.seconds),
        p50Ms: round(load.p50),
        p99Ms: round(load.p99),
        ok200P50Ms: round(load.okP50),
        ok200P99Ms: round(load.okP99),
      },
      servePeakRssMB: Math.round(peakMB),
      serveChunksPerSecond: Math.round(own),
      remoteIndex: { chunks: remote.chunks, embedded: remote.embedded, seconds: remote.seconds, chunksPerSecond: Math.round(remoteRate) },
      localIndex: { chunks: local.chunks, embedded: local.embedded, seconds: local.seconds, chunksPerSecond: Math.round(localRate) },
      remoteOverServe: round(remoteRate / own),
      remoteOverLocal: round(remoteRate / localRate),
      allAnswered: load.failures === 0 && Object.keys(load.statuses).every(s => s === '200' || s === '429'),
    };
    console.log(JSON.stringify(results, null, 2));
    if (!results.allAnswered) process.exitCode = 1;
  } finally {
    serve.child.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

void main().catch(e => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
