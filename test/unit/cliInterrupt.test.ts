// `semsearch index` stopped by SIGINT or SIGTERM, as a user's Ctrl-C or a service manager stops it: the run
// saves what is embedded, releases the store lock, says so in one line and exits 130 / 143; the next run
// says it resumes and from where, and embeds only what was not saved. A lock left by a dead run is taken
// over and said. No sleeps: each step waits on a stderr line (progress every update: SEMSEARCH_PROGRESS_MS=0).

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCK_FILE } from '../../server/src/engine/store/storeLock';
import type { StoreManifest } from '../../server/src/engine/store/storeFolder';
import { CLI, lastLine, runCli, startCli } from '../helpers/cliRun';
import { writePythonModules } from '../helpers/pythonModules';

/** 200 modules of 8 functions: 1,600 chunks, several seconds with the stand-in model, so a signal lands mid-run. */
const MODULES = 200;
const FUNCTIONS = 8;
/** Past the first checkpoint (256 chunks), well before the end. */
const INTERRUPT_AT = 300;

const INTERRUPTED = /^interrupted: ([\d,]+) chunks saved; run again to resume$/;

/** The chunk count of a progress line ("… 1,234 chunks …"), or -1 for another line. */
function chunksOf(line: string): number {
  const m = /([\d,]+) chunks?\b/.exec(line);
  return m && !line.startsWith('interrupted') ? Number(m[1].replace(/,/g, '')) : -1;
}

function manifestOf(store: string): StoreManifest {
  return JSON.parse(fs.readFileSync(path.join(store, 'manifest.json'), 'utf8')) as StoreManifest;
}

describe('CLI interrupted', function () {
  this.timeout(120_000);
  let tmp: string;
  let ws: string;

  before(() => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing; run npm run build`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-interrupt-'));
    ws = path.join(tmp, 'ws');
    writePythonModules(ws, 0, MODULES, FUNCTIONS);
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Starts an index run, waits until it has stored INTERRUPT_AT chunks, sends `signals`, and waits for its end. */
  async function interrupted(store: string, signals: NodeJS.Signals[]) {
    const run = startCli(['index', ws, '--store', store], { env: { SEMSEARCH_PROGRESS_MS: '0' } });
    await run.waitForLine(line => chunksOf(line) >= INTERRUPT_AT);
    for (const s of signals) run.child.kill(s);
    const end = await run.ended;
    return { code: end.code, stderr: run.stderr() };
  }

  it('SIGINT saves what is embedded, releases the lock, exits 130; the next run resumes from there and says so', async () => {
    const store = path.join(tmp, 'sigint');
    const stopped = await interrupted(store, ['SIGINT']);
    assert.equal(stopped.code, 130, stopped.stderr);
    const m = INTERRUPTED.exec(lastLine(stopped.stderr));
    assert.ok(m, `the last line says what was saved:\n${stopped.stderr}`);
    const saved = Number(m[1].replace(/,/g, ''));
    assert.ok(saved >= INTERRUPT_AT && saved < MODULES * FUNCTIONS, `${saved} chunks saved`);
    assert.ok(!fs.existsSync(path.join(store, LOCK_FILE)), 'the lock is released');
    const run = manifestOf(store).run;
    assert.equal(run?.state, 'interrupted');
    assert.equal(run?.chunks, saved);
    assert.ok(run.files > 0 && run.files < MODULES, JSON.stringify(run));

    const resumed = await runCli(['index', ws, '--store', store, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const first = resumed.stderr.split('\n')[0];
    assert.match(
      first,
      new RegExp(
        `^resuming an interrupted run: ${saved.toLocaleString('en-US')} chunks of ${run.files} files saved at \\d\\d:\\d\\d:\\d\\d$`,
      ),
    );
    const s = JSON.parse(lastLine(resumed.stdout));
    assert.equal(s.resumed.state, 'interrupted');
    assert.equal(s.chunks, MODULES * FUNCTIONS);
    // What was saved is whole: every file it recorded is kept as it is, and only the rest is embedded.
    assert.deepEqual(s.changes, { added: MODULES - run.files, changed: 0, removed: 0, unchanged: run.files });
    assert.equal(s.embedded, s.chunks - saved);
    assert.equal(manifestOf(store).run?.state, 'complete');

    const again = await runCli(['index', ws, '--store', store]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      lastLine(again.stderr),
      `nothing changed since the last run (${MODULES} files, ${(MODULES * FUNCTIONS).toLocaleString('en-US')} chunks)`,
    );
    assert.doesNotMatch(again.stderr, /resuming|tokens\/s/);
  });

  it('SIGTERM does the same and exits 143', async () => {
    const store = path.join(tmp, 'sigterm');
    const stopped = await interrupted(store, ['SIGTERM']);
    assert.equal(stopped.code, 143, stopped.stderr);
    assert.match(lastLine(stopped.stderr), INTERRUPTED);
    assert.ok(!fs.existsSync(path.join(store, LOCK_FILE)), 'the lock is released');
    assert.equal(manifestOf(store).run?.state, 'interrupted');
  });

  it('a second SIGINT exits at once, still 130 and with the lock released; the next run resumes', async () => {
    const store = path.join(tmp, 'twice');
    const stopped = await interrupted(store, ['SIGINT', 'SIGINT']);
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.ok(!fs.existsSync(path.join(store, LOCK_FILE)), 'the lock is released');
    const resumed = await runCli(['index', ws, '--store', store, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    // From the first checkpoint (256 chunks) or from the first signal's save, whichever the second cut short.
    assert.match(
      resumed.stderr.split('\n')[0],
      /^resuming (an interrupted run|a run that ended before it finished): [\d,]+ chunks of \d+ files saved/,
    );
    assert.equal(JSON.parse(lastLine(resumed.stdout)).chunks, MODULES * FUNCTIONS);
  });

  it('takes over a lock whose holder is no longer running, and says whose it was', async () => {
    const small = path.join(tmp, 'small');
    writePythonModules(small, 0, 2, 2);
    const store = path.join(tmp, 'stale');
    fs.mkdirSync(store);
    // The pid of a process that has ended: what a kill -9 leaves in the lock file.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    fs.writeFileSync(
      path.join(store, LOCK_FILE),
      JSON.stringify({ pid: dead, hostname: os.hostname(), since: '2026-01-02T03:04:05.000Z' }),
    );
    const r = await runCli(['index', small, '--store', store]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.split('\n').filter(l => l.includes('stale lock')).length, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^semsearch: took over a stale lock left by pid ${dead} \\(no longer running; it took the lock at 2026-01-02T03:04:05\\.000Z\\)$`,
        'm',
      ),
    );
    assert.ok(!fs.existsSync(path.join(store, LOCK_FILE)), 'released at the end');
  });
});
