// Embedder workers failing during a real index run of the language server: one SIGKILLed mid-batch, one
// frozen (SIGSTOP) until the batch timeout, and every worker over its memory limit. Each run must end with
// exactly the chunks of an uninterrupted run (the CLI's, on the same files), no file failed, and the
// restarts counted in the health data with their reason.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Health } from '../../common/protocol';
import { chunkRanges, writePythonModules } from '../helpers/pythonModules';
import { runCli } from '../helpers/cliRun';
import { tempDir, uriOf } from './lspFixture';
import { LspServer, totalBatches } from './lspHarness';

const FILES = 60;
const FUNCTIONS_PER_FILE = 8;

/** The one store folder the server made in its storage folder. */
function serverStore(storage: string): string {
  const dirs = fs.readdirSync(storage).filter(d => fs.existsSync(path.join(storage, d, 'manifest.json')));
  assert.equal(dirs.length, 1, `one store in ${storage}: ${dirs.join(', ')}`);
  return path.join(storage, dirs[0]);
}

async function cliIndex(ws: string, store: string): Promise<void> {
  const r = await runCli(['index', ws, '--store', store], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, `the reference CLI run failed: ${r.stderr}`);
}

const restarts = (h: Health) => h.workers.reduce((n, w) => n + w.restarts, 0);

describe('language server: embedder workers failing during a run', function () {
  this.timeout(180_000);
  let tmp: string;
  let ws: string;
  let reference: string[];

  before(async () => {
    tmp = tempDir('semsearch-lsp-faults-');
    ws = path.join(tmp, 'ws');
    writePythonModules(ws, 0, FILES, FUNCTIONS_PER_FILE, 'pkg');
    await cliIndex(ws, path.join(tmp, 'reference'));
    reference = chunkRanges(path.join(tmp, 'reference'));
    assert.ok(reference.length >= FILES * FUNCTIONS_PER_FILE * 0.9, `about one chunk per function: ${reference.length}`);
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Indexes the workspace with a fresh store, calling `fault` once the workers have started on batches. */
  async function runWith(
    name: string,
    fault: (h: Health) => void,
    opts: { config?: Record<string, unknown>; env?: Record<string, string> } = {},
  ): Promise<Health> {
    const storage = path.join(tmp, `storage-${name}`);
    const server = await LspServer.start({
      folders: [{ uri: uriOf(ws), name: 'ws' }],
      storageDir: storage,
      config: { poolSize: 2, ...opts.config },
      env: opts.env,
    });
    try {
      const busy = await server.waitForHealth(
        h => h.state === 'indexing' && totalBatches(h) >= 1 && h.workers.length === 2,
        'the workers on their first batches',
        60_000,
      );
      fault(busy);
      const done = await server.waitForHealth(
        h => h.state === 'idle' && h.folders[0]?.files.indexed === FILES,
        'the run to finish',
        150_000,
      );
      assert.equal(done.folders[0].files.failed, 0, 'no file failed');
      assert.equal(done.chunks, reference.length);
      assert.deepEqual(chunkRanges(serverStore(storage)), reference, 'the same chunks as an uninterrupted run');
      return done;
    } finally {
      assert.equal(await server.stop(), 0);
    }
  }

  it('a worker SIGKILLed mid-batch: replaced, its batch retried, the restart counted', async () => {
    let victim = 0;
    const h = await runWith('kill', busy => {
      victim = busy.workers[0].pid;
      process.kill(victim, 'SIGKILL');
    });
    assert.equal(restarts(h), 1, JSON.stringify(h.workers));
    assert.match(h.workers.find(w => w.restarts === 1)!.lastRestartReason, /SIGKILL/);
    assert.ok(!h.workers.some(w => w.pid === victim), 'the killed worker was replaced');
  });

  it('a worker that stops answering: timed out, killed, replaced, its batch retried', async () => {
    let frozen = 0;
    const h = await runWith(
      'hang',
      busy => {
        frozen = busy.workers[0].pid;
        process.kill(frozen, 'SIGSTOP');
      },
      { env: { SEMSEARCH_BATCH_TIMEOUT_MS: '3000' } },
    );
    assert.equal(restarts(h), 1, JSON.stringify(h.workers));
    assert.match(h.workers.find(w => w.restarts === 1)!.lastRestartReason, /did not answer within 3s/);
    assert.throws(() => process.kill(frozen, 0), /ESRCH/, 'the frozen worker was killed, not left behind');
  });

  it('workers over their memory limit: restarted between batches, nothing lost', async () => {
    // 64 MB is the lowest limit the setting takes and below any loaded model, so every batch ends in a restart;
    // big batches keep their number (and the test's time) small.
    const h = await runWith('memory', () => {}, { config: { workerMemoryLimitMB: 64, batchSize: 32 } });
    assert.ok(restarts(h) >= 2, JSON.stringify(h.workers));
    assert.match(h.workers.find(w => w.restarts > 0)!.lastRestartReason, /passed the 64 MB limit/);
  });
});
