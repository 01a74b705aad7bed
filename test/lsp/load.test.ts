// The real language server under load: rounds of 50 concurrent searches while a large workspace (real
// third-party code copied out of node_modules) is indexed. Every request must be answered (none dropped, none
// failed), with partial: true while the run lasts; the server's memory must stay bounded; the index must be
// whole afterwards. Latencies and peak RSS are printed, never asserted (the machine is shared and noisy).
// The run checkpoints every CHECKPOINT_CHUNKS chunks, so saves happen while searches are in flight; set
// SEMSEARCH_CHECKPOINT_CHUNKS on the mocha command line (1000000: none) to compare the latencies printed.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { treeRssBytes } from '../../bench/procTree';
import { HealthRequest, SearchParams, SearchRequest, SearchResult } from '../../common/protocol';
import { rssOfPid } from '../../server/src/engine/indexer/rssMonitor';
import { PROJECT_ROOT } from '../helpers/standin';
import { linesInside, makeWorkspace, readProjectFile, tempDir, uriOf, writeFile } from './lspFixture';
import { LspServer, SERVER, within } from './lspHarness';

/** Real code from node_modules, about 1,400 chunks: with the stand-in model the run lasts tens of seconds. */
const SOURCES: [from: string, to: string][] = [
  ['node_modules/vscode-languageclient/lib/common', 'lib/client'],
  ['node_modules/qs/lib', 'lib/qs'],
];
const CONCURRENT = 50;
const MIN_ROUNDS = 5;
/**
 * A new round starts once this many more chunks are indexed: back-to-back rounds would halve the run's speed
 * (queries and batches share the embedders) and the test would last minutes; spaced, rounds span the whole run.
 */
const CHUNKS_BETWEEN_ROUNDS = 100;
/** Far above any latency seen here; only a request the server never answers gets this far. */
const ANSWER_TIMEOUT_MS = 30_000;
/** A few checkpoint saves during the run (the default, 4,096 chunks or 30 s, would make none or one). */
const CHECKPOINT_CHUNKS = process.env.SEMSEARCH_CHECKPOINT_CHUNKS ?? '200';
const SERVER_RSS_LIMIT = 1024 ** 3;
const TREE_RSS_LIMIT = 3 * 1024 ** 3;

function copyJs(ws: string, from: string, to: string): string[] {
  const copied: string[] = [];
  for (const entry of fs.readdirSync(path.join(PROJECT_ROOT, from), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const rel = path.relative(path.join(PROJECT_ROOT, from), path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    copied.push(writeFile(ws, `${to}/${rel}`, readProjectFile(`${from}/${rel}`)));
  }
  return copied;
}

/** Varied queries: excerpts of the copied files, plain words, some limited to the folder or a glob. */
function queriesOf(files: string[], wsUri: string): SearchParams[] {
  const words = [
    'register a capability with the client',
    'debounce a function call',
    'parse a query string into an object',
    'cancel a pending request',
    'remove items from the stock',
    'iterate over the keys of an object',
    'send a notification',
  ];
  const out: SearchParams[] = [];
  files.forEach((file, i) => {
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(l => l.trim().length > 10);
    const at = Math.floor(lines.length / 2);
    out.push({
      query: lines.slice(at, at + 3).join('\n') || words[i % words.length],
      k: 1 + (i % 20),
      ...(i % 2 === 0 ? { folder: wsUri } : {}),
    });
    out.push({ query: words[i % words.length], k: 10, ...(i % 3 === 0 ? { glob: 'lib/**' } : i % 3 === 1 ? { glob: '*.py' } : {}) });
  });
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Watched {
  server: number;
  tree: number;
  saves: number;
  loopLatencies: number[];
  probeErrors: string[];
}

/**
 * Samples every 100 ms: the server's RSS and its process tree's (the embedder workers are its children); the
 * store's manifest, which each checkpoint rewrites; and the latency of a health request, which the server
 * answers on its event loop without the embedders, so it shows how long the loop is blocked (a synchronous
 * checkpoint save, a store search) apart from the queries' embedding queue. One probe at a time.
 */
function watchServer(server: LspServer, storage: string): { seen: Watched; stop: () => Promise<void> } {
  const seen: Watched = { server: 0, tree: 0, saves: 0, loopLatencies: [], probeErrors: [] };
  let manifestAt = 0;
  let probe: Promise<void> | undefined;
  const tick = () => {
    seen.server = Math.max(seen.server, rssOfPid(server.pid));
    seen.tree = Math.max(seen.tree, treeRssBytes(server.pid));
    const manifest = fs
      .readdirSync(storage)
      .map(d => path.join(storage, d, 'manifest.json'))
      .find(p => fs.existsSync(p));
    const at = manifest ? fs.statSync(manifest).mtimeMs : 0;
    if (at !== manifestAt) {
      seen.saves++;
      manifestAt = at;
    }
    if (probe) return;
    const sent = performance.now();
    probe = within(server.connection.sendRequest(HealthRequest.type), ANSWER_TIMEOUT_MS, 'a health request during the load')
      .then(
        () => {
          seen.loopLatencies.push(performance.now() - sent);
        },
        (e: Error) => {
          seen.probeErrors.push(e.message);
        },
      )
      .finally(() => {
        probe = undefined;
      });
  };
  const timer = setInterval(tick, 100);
  return {
    seen,
    stop: async () => {
      clearInterval(timer);
      await probe;
    },
  };
}

/**
 * Rounds of CONCURRENT searches, each answer awaited with a timeout, a new round once CHUNKS_BETWEEN_ROUNDS
 * more chunks are indexed, until the run is over (at least MIN_ROUNDS). Checks each answer's shape.
 */
async function searchInRounds(server: LspServer, queries: SearchParams[], wsUri: string) {
  const latencies: number[] = [];
  const partials: boolean[] = []; // in the order answers arrived
  let rounds = 0;
  let roundsWhileIndexing = 0;
  while (rounds < MIN_ROUNDS || server.latestHealth?.state === 'indexing') {
    const round = Array.from({ length: CONCURRENT }, (_, i) => queries[(rounds * CONCURRENT + i) % queries.length]);
    const answers = await Promise.all(
      round.map(async (params, i) => {
        const sent = performance.now();
        const what = `search ${i} of round ${rounds} (${JSON.stringify(params).slice(0, 80)})`;
        const res: SearchResult = await within(server.connection.sendRequest(SearchRequest.type, params), ANSWER_TIMEOUT_MS, what);
        latencies.push(performance.now() - sent);
        partials.push(res.partial);
        assert.ok(Array.isArray(res.results) && res.results.length <= params.k, `${what}: ${JSON.stringify(res).slice(0, 200)}`);
        for (const r of res.results) assert.ok(r.uri.startsWith(`${wsUri}/`), `${what}: ${r.uri}`);
        if (params.glob === '*.py')
          assert.ok(
            res.results.every(r => r.path.endsWith('.py')),
            what,
          );
        return res;
      }),
    );
    if (answers.every(a => a.partial)) roundsWhileIndexing++;
    rounds++;
    const chunks = server.latestHealth?.chunks ?? 0;
    await server.waitForHealth(
      h => h.state !== 'indexing' || h.chunks >= chunks + CHUNKS_BETWEEN_ROUNDS,
      `${CHUNKS_BETWEEN_ROUNDS} more chunks indexed after round ${rounds}`,
      60_000,
    );
  }
  return { latencies, partials, rounds, roundsWhileIndexing };
}

describe('language server: concurrent searches while a large index is built', function () {
  this.timeout(120_000);
  let ws: string;
  let storage: string;
  let server: LspServer;
  let queries: SearchParams[];

  before(async () => {
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing; run npm run build`);
    [ws, storage] = [tempDir('semsearch-load-ws-'), tempDir('semsearch-load-storage-')];
    makeWorkspace(ws, false);
    const files = SOURCES.flatMap(([from, to]) => copyJs(ws, from, to));
    queries = queriesOf(files, uriOf(ws));
    server = await LspServer.start({
      folders: [{ uri: uriOf(ws), name: 'load' }],
      storageDir: storage,
      env: { SEMSEARCH_CHECKPOINT_CHUNKS: CHECKPOINT_CHUNKS },
    });
  });

  after(async () => {
    const code = await server?.stop();
    for (const dir of [ws, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, 'the server exits cleanly after shutdown / exit');
  });

  it('answers every one of repeated rounds of 50 concurrent searches during the run, in bounded memory', async () => {
    await server.waitForHealth(h => h.state === 'indexing' && h.chunks > 0, 'indexing under way');
    const watch = watchServer(server, storage);
    const { latencies, partials, rounds, roundsWhileIndexing } = await searchInRounds(server, queries, uriOf(ws)).finally(() =>
      watch.stop(),
    );
    const peak = watch.seen;

    const sorted = [...latencies].sort((a, b) => a - b);
    const loopSorted = [...peak.loopLatencies].sort((a, b) => a - b);
    const ms = (v: number) => Math.round(v);
    const mb = (v: number) => Math.round(v / 1024 ** 2);
    const h = await server.waitForHealth(x => x.state === 'idle', 'idle after the run', 60_000);
    console.log(
      `      load: ${latencies.length} searches in ${rounds} rounds of ${CONCURRENT} (${roundsWhileIndexing} wholly while indexing ${h.chunks} chunks): ` +
        `p50 ${ms(percentile(sorted, 50))} ms, p99 ${ms(percentile(sorted, 99))} ms, max ${ms(sorted[sorted.length - 1])} ms; ` +
        `health (event loop) p50 ${ms(percentile(loopSorted, 50))} ms, p99 ${ms(percentile(loopSorted, 99))} ms, max ${ms(loopSorted[loopSorted.length - 1])} ms over ${loopSorted.length}; ` +
        `peak RSS server ${mb(peak.server)} MB, server + workers ${mb(peak.tree)} MB; store saves seen (sampled) ${peak.saves} ` +
        `(checkpoint every ${CHECKPOINT_CHUNKS} chunks)`,
    );

    assert.equal(latencies.length, rounds * CONCURRENT, 'every search was answered');
    assert.deepEqual(peak.probeErrors, [], 'every health request was answered');
    assert.ok(
      roundsWhileIndexing >= MIN_ROUNDS,
      `at least ${MIN_ROUNDS} rounds were answered wholly during the run (got ${roundsWhileIndexing}); the workspace is too small`,
    );
    // The run ends once: after the first complete answer, every later one is complete too.
    const firstWhole = partials.indexOf(false);
    assert.ok(firstWhole === -1 || partials.slice(firstWhole).every(p => !p), 'partial went from false back to true');
    assert.ok(peak.server > 0 && peak.server < SERVER_RSS_LIMIT, `server peak RSS ${mb(peak.server)} MB`);
    assert.ok(peak.tree < TREE_RSS_LIMIT, `server + workers peak RSS ${mb(peak.tree)} MB`);
    assert.equal(h.folders[0].files.failed, 0, JSON.stringify(h.folders[0].files));
  });

  it('is whole and consistent afterwards: a known excerpt is found first', async () => {
    const want = linesInside(fs.readFileSync(path.join(ws, 'src', 'inventory.py'), 'utf8'), 'def remove(self, sku: str, count: int)', 1, 4);
    const res = await server.connection.sendRequest(SearchRequest.type, { query: want.query, k: 5 });
    assert.equal(res.partial, false);
    assert.equal(res.filesIndexed, res.filesTotal);
    assert.equal(res.results[0].path, 'src/inventory.py', JSON.stringify(res.results.map(r => r.path)));
    const client = fs.readFileSync(path.join(ws, 'lib', 'client', 'client.js'), 'utf8');
    const excerpt = linesInside(client, 'async handleConnectionClosed()', 1, 4);
    const again = await server.connection.sendRequest(SearchRequest.type, { query: excerpt.query, k: 3, glob: 'lib/client/**' });
    assert.equal(again.results[0]?.path, 'lib/client/client.js', JSON.stringify(again.results.map(r => r.path)));
  });
});
