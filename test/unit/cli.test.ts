// The built CLI (dist/cli.js) as a user runs it: a child process on a throw-away workspace, indexed once.
// Checks the JSON contracts of index / search / files and that bad command lines fail with one clear line.

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, cliEnv, type CliRun, runCli as cli, lastLine } from '../helpers/cliRun';
import { linesInside } from '../helpers/excerpts';
import { PROJECT_ROOT, standinModelsDir } from '../helpers/standin';

const MB = 1024 * 1024;
/** Above the 2 MB bundle, so the bundle is judged by content (minified) rather than skipped unread. */
const CAP = 3 * MB;
const SPACED_NAME = 'src/naïve café/größe über alles.py';
const SPACED_TEXT = 'def grosse_ueberall(werte):\n    """Sums the sizes."""\n    return sum(len(w) for w in werte)\n';

/**
 * A failed run: its exit code (1 a failure, 2 a usage error), one stderr line that is the message (a usage
 * error's pointing to the help), no stack trace.
 */
function assertCleanFailure(r: CliRun, message: RegExp, code = 1): string {
  assert.equal(r.code, code, `expected exit ${code}; stdout: ${r.stdout}\nstderr: ${r.stderr}`);
  const [first, ...rest] = r.stderr.trimEnd().split('\n');
  assert.match(first, /^semsearch: /, r.stderr);
  assert.match(first, message, r.stderr);
  assert.deepEqual(rest, [], `one line:\n${r.stderr}`);
  if (code === 2) assert.match(first, /; see "semsearch( \w+)? --help"$/, first);
  assert.doesNotMatch(r.stderr, /^\s+at .+[:(]\d+/m, `no stack trace:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\b(TypeError|ReferenceError|RangeError|SyntaxError)\b/, r.stderr);
  return first;
}

function fixture(rel: string): string {
  return fs.readFileSync(path.join(PROJECT_ROOT, rel), 'utf8');
}

function makeWorkspace(root: string): void {
  const write = (rel: string, content: string | Buffer) => {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  };
  // Real source: the chunker's fixtures and two real CommonJS files from node_modules.
  for (const name of ['inventory.py', 'server.go', 'TodoList.tsx']) write(`src/${name}`, fixture(`test/fixtures/chunker/${name}`));
  write('src/lru-cache.js', fixture('node_modules/lru-cache/dist/commonjs/index.js'));
  write('src/ms.js', fixture('node_modules/ms/index.js'));
  write(SPACED_NAME, SPACED_TEXT);
  // Folders that are never indexed.
  write('node_modules/left-pad/index.js', 'module.exports = function leftPad(s, n) { return String(s).padStart(n); };\n');
  write('node_modules/left-pad/package.json', '{ "name": "left-pad", "version": "1.3.0" }\n');
  write('dist/app.js', 'console.log("built");\n');
  // .gitignore: every *.log but keep.log.
  write('.gitignore', '*.log\n!keep.log\n');
  write('debug.log', 'GET /health 200 1ms\nGET /health 200 2ms\n');
  write('keep.log', 'Release notes kept in the repository on purpose.\nThe cache now evicts the least recently used entry.\n');
  // A 2 MB bundle: a license header and one very long line of JavaScript.
  let body = '';
  for (let i = 0; body.length < 2 * MB; i++) body += `function f${i}(a,b){return a*${i}+b};var v${i}=f${i}(${i},1);`;
  write('src/bundle.js', `/*! app bundle v1.0.0 | MIT */\n${body}\n`);
  // Binary by content (NUL bytes, no binary extension), empty, and over the size cap.
  write('src/table.gen', Buffer.from([0x53, 0x51, 0x4c, 0x00, 0x00, 0x01, 0xff, 0x00, 0x10, 0x20, 0x00, 0x7f, 0x00, 0x00]));
  write('src/empty.ts', '');
  write('src/huge.sql', "INSERT INTO items (sku, qty) VALUES ('a-1', 3);\n".repeat(Math.ceil((CAP + MB / 2) / 48)));
}

describe('CLI (dist/cli.js as a child process)', function () {
  this.timeout(60_000);
  let tmp: string;
  let ws: string;
  let store: string;
  let indexRun: CliRun;

  before(async () => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing; run npm run build`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-cli-'));
    ws = path.join(tmp, 'workspace');
    store = path.join(tmp, 'store');
    makeWorkspace(ws);
    indexRun = await cli(['index', ws, '--store', store, '--json', '--max-file-size-mb', String(CAP / MB)]);
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('index --json', () => {
    it('exits 0 and prints the summary as JSON on the last stdout line; progress goes to stderr', () => {
      assert.equal(indexRun.code, 0, indexRun.stderr);
      const s = JSON.parse(lastLine(indexRun.stdout));
      assert.equal(indexRun.stdout.trimEnd().split('\n').length, 1, 'stdout holds only the JSON summary');
      assert.match(indexRun.stderr, /100%/);
      assert.match(indexRun.stderr, /^indexed \d+ files: \d+ added; [\d,]+ chunks \([\d,]+ embedded\) in [\d.]+ s$/m);
      assert.match(indexRun.stderr, /^skipped \d+ \(.*\bminified\b.*\); failed 0; [\d,]+ tokens\/s; peak RSS \d+ MB; store [\d.]+ MB$/m);
      assert.ok(Number.isInteger(s.files.indexed) && s.files.indexed >= 8, JSON.stringify(s.files));
      assert.equal(typeof s.files.skipped, 'object');
      for (const reason of ['excluded-folder', 'gitignored', 'minified', 'binary', 'too-large', 'empty']) {
        assert.ok(s.files.skipped[reason] >= 1, `skipped.${reason} in ${JSON.stringify(s.files.skipped)}`);
      }
      assert.equal(s.files.skipped['excluded-folder'], 2, 'node_modules/ and dist/');
      assert.equal(s.files.failed, 0);
      assert.ok(s.chunks > 0);
      assert.ok(s.chunks < 400, `keep the workspace small (${s.chunks} chunks)`);
      assert.equal(s.embedded, s.chunks, 'a first run embeds every chunk');
      assert.equal(typeof s.cacheHits, 'number');
      assert.ok(s.tokens > 0);
      assert.equal(typeof s.seconds, 'number');
      assert.ok(s.peakRssMB > 0);
    });
  });

  describe('search --json', () => {
    it('returns hits with workspace-relative / paths; a few lines cut from a function find that function first', async () => {
      const text = fs.readFileSync(path.join(ws, 'src', 'inventory.py'), 'utf8');
      const want = linesInside(text, 'def remove(self, sku: str, count: int)', 1, 4);
      const r = await cli(['search', want.query, '--store', store, '--json', '-k', '5']);
      assert.equal(r.code, 0, r.stderr);
      const hits = JSON.parse(lastLine(r.stdout)) as Record<string, unknown>[];
      assert.ok(Array.isArray(hits) && hits.length === 5, r.stdout);
      for (const h of hits) {
        assert.deepEqual(
          Object.keys(h)
            .filter(key => key !== 'alsoIn')
            .sort(),
          ['endLine', 'path', 'score', 'snippet', 'startLine', 'symbol', 'why'],
        );
        assert.equal(typeof h.path, 'string');
        assert.ok(!path.isAbsolute(h.path as string) && !(h.path as string).includes('\\'), `relative / path: ${h.path}`);
        assert.ok(fs.existsSync(path.join(ws, ...(h.path as string).split('/'))), `hit path resolves in the workspace: ${h.path}`);
        assert.ok(Number.isInteger(h.startLine) && Number.isInteger(h.endLine) && (h.startLine as number) <= (h.endLine as number));
        assert.equal(typeof h.symbol, 'string');
        assert.equal(typeof h.score, 'number');
        assert.equal(typeof h.snippet, 'string');
      }
      const top = hits[0];
      assert.equal(top.path, 'src/inventory.py', JSON.stringify(hits.map(h => `${h.path}:${h.startLine}`)));
      assert.ok(
        (top.startLine as number) <= want.startLine && (top.endLine as number) >= want.endLine,
        `top hit ${top.startLine}-${top.endLine} holds lines ${want.startLine}-${want.endLine}`,
      );
    });

    it('finds text from a real node_modules file and from the file with spaces and non-ASCII in its name', async () => {
      const text = fs.readFileSync(path.join(ws, 'src', 'ms.js'), 'utf8');
      const want = linesInside(text, 'function fmtLong(ms)', 2, 3);
      const r = await cli(['search', want.query, '--store', store, '--json', '-k', '3']);
      assert.equal(r.code, 0, r.stderr);
      const [top] = JSON.parse(lastLine(r.stdout)) as { path: string; startLine: number; endLine: number }[];
      assert.equal(top.path, 'src/ms.js');
      assert.ok(top.startLine <= want.startLine && top.endLine >= want.endLine);

      const r2 = await cli(['search', SPACED_TEXT.trim(), '--store', store, '--json', '-k', '3']);
      assert.equal(r2.code, 0, r2.stderr);
      assert.equal((JSON.parse(lastLine(r2.stdout)) as { path: string }[])[0].path, SPACED_NAME);
    });
  });

  describe('search modes and --stdin', () => {
    it('--mode lexical finds a function by its name, and says which words matched', async () => {
      const r = await cli(['search', 'find_low_stock', '--store', store, '--json', '--mode', 'lexical']);
      assert.equal(r.code, 0, r.stderr);
      const [top] = JSON.parse(lastLine(r.stdout)) as {
        path: string;
        symbol: string;
        why: { lexical?: { terms: string[] }; semantic?: unknown; boosts: string[] };
      }[];
      assert.equal(top.path, 'src/inventory.py');
      assert.equal(top.symbol, 'find_low_stock');
      assert.ok(top.why.lexical?.terms.includes('find_low_stock'), JSON.stringify(top.why));
      assert.equal(top.why.semantic, undefined);
      assert.ok(top.why.boosts.includes('defines'), JSON.stringify(top.why));
    });

    it('--stdin answers one JSON line per query line, a bad query with its error, in order', async () => {
      const long = 'x'.repeat(10_001);
      const r = await cli(['search', '--stdin', '--store', store, '-k', '2', '--mode', 'lexical'], {
        input: `find_low_stock\n\n${long}\ngrosse_ueberall\n`,
      });
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout
        .trimEnd()
        .split('\n')
        .map(l => JSON.parse(l) as { query: string; results?: { path: string }[]; error?: string });
      assert.equal(lines.length, 3, 'the blank line is skipped');
      assert.equal(lines[0].query, 'find_low_stock');
      assert.equal(lines[0].results?.[0].path, 'src/inventory.py');
      assert.match(lines[1].error ?? '', /the limit is 10000/);
      assert.equal(lines[2].results?.[0].path, SPACED_NAME);
    });

    it('a bad --mode or a query beside --stdin is a usage error (exit 2)', async () => {
      const bad = await cli(['search', 'x', '--store', store, '--mode', 'fuzzy']);
      assertCleanFailure(bad, /--mode must be one of hybrid, lexical, semantic; got "fuzzy"/, 2);
      assert.equal((await cli(['search', 'x', '--stdin', '--store', store])).code, 2);
    });
  });

  describe('files --json', () => {
    let files: { path: string; status: string; reason: string; chunks: number }[];
    const entry = (p: string) => {
      const found = files.filter(f => f.path === p);
      assert.equal(found.length, 1, `${p} is reported once`);
      return found[0];
    };

    before(async () => {
      const r = await cli(['files', '--store', store, '--json']);
      assert.equal(r.code, 0, r.stderr);
      files = JSON.parse(lastLine(r.stdout));
    });

    it('reports every path as {path, status, reason, chunks}', () => {
      assert.ok(files.length >= 15);
      for (const f of files) {
        for (const key of ['path', 'status', 'reason', 'chunks']) assert.ok(key in f, `${key} in ${JSON.stringify(f)}`);
        assert.ok(['indexed', 'skipped', 'failed'].includes(f.status), JSON.stringify(f));
        assert.equal(typeof f.reason, 'string');
        assert.ok(Number.isInteger(f.chunks));
        assert.ok(!path.isAbsolute(f.path) && !f.path.includes('\\'), f.path);
        if (f.status === 'indexed') assert.ok(f.chunks > 0, JSON.stringify(f));
        else assert.ok(f.reason !== '' && f.chunks === 0, JSON.stringify(f));
      }
    });

    it('skips the bundle as minified, the binary, empty and over-cap files with their reasons', () => {
      assert.deepEqual(pick(entry('src/bundle.js')), { status: 'skipped', reason: 'minified' });
      assert.deepEqual(pick(entry('src/table.gen')), { status: 'skipped', reason: 'binary' });
      assert.deepEqual(pick(entry('src/empty.ts')), { status: 'skipped', reason: 'empty' });
      assert.deepEqual(pick(entry('src/huge.sql')), { status: 'skipped', reason: 'too-large' });
    });

    it('reports node_modules/ and dist/ once each as excluded folders, and nothing inside them', () => {
      assert.deepEqual(pick(entry('node_modules/')), { status: 'skipped', reason: 'excluded-folder' });
      assert.deepEqual(pick(entry('dist/')), { status: 'skipped', reason: 'excluded-folder' });
      assert.deepEqual(
        files.filter(f => f.path.startsWith('node_modules/') || f.path.startsWith('dist/')).map(f => f.path),
        ['dist/', 'node_modules/'],
      );
    });

    it('follows .gitignore: *.log skipped, !keep.log indexed', () => {
      assert.deepEqual(pick(entry('debug.log')), { status: 'skipped', reason: 'gitignored' });
      assert.equal(entry('keep.log').status, 'indexed');
    });

    it('indexes the real sources, including the file with spaces and non-ASCII characters under its exact path', () => {
      for (const p of ['src/inventory.py', 'src/server.go', 'src/TodoList.tsx', 'src/lru-cache.js', 'src/ms.js', SPACED_NAME]) {
        assert.equal(entry(p).status, 'indexed', p);
      }
    });
  });

  describe('bad command lines', () => {
    it('no command at all', async () => {
      assertCleanFailure(await cli([]), /give a command/, 2);
    });

    it('an unknown command', async () => {
      assertCleanFailure(await cli(['frobnicate', '--store', store]), /unknown command "frobnicate"/, 2);
    });

    it('search without --store outside every indexed folder says what to run', async () => {
      const r = await cli(['search', 'cache eviction'], { cwd: ws, env: { SEMSEARCH_CACHE_DIR: path.join(tmp, 'no-cache') } });
      assert.equal(r.code, 1);
      const first = assertCleanFailure(r, /No index of .* or of a folder above it; run "semsearch index <folder>" first/);
      assert.ok(first.includes(fs.realpathSync(ws)), first);
      assert.ok(!fs.existsSync(path.join(tmp, 'no-cache')), 'looking creates nothing');
    });

    it('an empty --store', async () => {
      assertCleanFailure(await cli(['index', ws, '--store', '']), /--store needs a folder/, 2);
    });

    it('setting flags out of the bounds in SETTINGS', async () => {
      assertCleanFailure(
        await cli(['index', ws, '--store', store, '--batch-size', '0']),
        /--batch-size must be a whole number from 1 to 256; got "0"/,
        2,
      );
      assertCleanFailure(
        await cli(['index', ws, '--store', store, '--batch-size', '257']),
        /--batch-size must be a whole number from 1 to 256; got "257"/,
        2,
      );
      assertCleanFailure(
        await cli(['index', ws, '--store', store, '--max-chunk-tokens', '16']),
        /--max-chunk-tokens must be a whole number from 32 to 512; got "16"/,
        2,
      );
      assertCleanFailure(
        await cli(['index', ws, '--store', store, '--pool-size', '']),
        /--pool-size must be a whole number from 0 to 64; got ""/,
        2,
      );
      assertCleanFailure(await cli(['search', 'x', '--store', store, '--model', '']), /--model must be a non-empty string; got ""/, 2);
    });

    it('a missing folder argument', async () => {
      assertCleanFailure(await cli(['index', '--store', store]), /give the folder: semsearch index <folder>/, 2);
    });

    it('a non-numeric --batch-size', async () => {
      assertCleanFailure(await cli(['index', ws, '--store', store, '--batch-size', 'lots']), /--batch-size .*"lots"/, 2);
    });

    it('an unknown option', async () => {
      assertCleanFailure(await cli(['index', ws, '--store', store, '--fast']), /index has no option --fast/, 2);
    });

    it('a folder that does not exist', async () => {
      const missing = path.join(tmp, 'no-such-folder');
      const first = assertCleanFailure(await cli(['index', missing, '--store', path.join(tmp, 'store-missing')]), /is not a folder/);
      assert.ok(first.includes(missing), first);
    });

    it('a missing model names the missing files and the folder', async () => {
      const r = await cli(['search', 'anything', '--store', store], { env: { SEMSEARCH_MODEL: 'no-such-model' } });
      const first = assertCleanFailure(r, /no-such-model/);
      assert.match(first, /config\.json/);
      assert.match(first, /onnx\/model_quantized\.onnx/);
      assert.ok(first.includes(path.join(standinModelsDir(), 'no-such-model')), first);
    });

    it('search on an empty store folder says to index first', async () => {
      const empty = path.join(tmp, 'empty-store');
      fs.mkdirSync(empty);
      assertCleanFailure(await cli(['search', 'cache eviction', '--store', empty]), /index .*first/);
    });

    it('an empty query', async () => {
      assertCleanFailure(await cli(['search', '  ', '--store', store]), /query is empty/, 2);
    });
  });

  it('never indexes its own store when the store folder is inside the indexed folder', async () => {
    const small = path.join(tmp, 'small');
    fs.mkdirSync(path.join(small, 'src'), { recursive: true });
    fs.writeFileSync(path.join(small, 'src', 'server.go'), fixture('test/fixtures/chunker/server.go'));
    const inner = path.join(small, '.semsearch');
    for (let run = 0; run < 2; run++) {
      const r = await cli(['index', small, '--store', inner, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(lastLine(r.stdout)).files.indexed, 1, `run ${run + 1}: ${r.stdout}`);
    }
    const files = JSON.parse(lastLine((await cli(['files', '--store', inner, '--json'])).stdout)) as {
      path: string;
      status: string;
      reason: string;
    }[];
    assert.deepEqual(
      files.map(f => `${f.path} ${f.status} ${f.reason}`),
      ['.semsearch/ skipped excluded-folder', 'src/server.go indexed '],
    );
  });

  it('search and files read an index built with another --max-chunk-tokens without the flag; index still asks for it', async () => {
    const small = path.join(tmp, 'budget');
    fs.mkdirSync(small);
    fs.writeFileSync(path.join(small, 'server.go'), fixture('test/fixtures/chunker/server.go'));
    const budgetStore = path.join(tmp, 'budget-store');
    assert.equal((await cli(['index', small, '--store', budgetStore, '--max-chunk-tokens', '96'])).code, 0);
    const files = await cli(['files', '--store', budgetStore, '--json']);
    assert.equal(files.code, 0, files.stderr);
    assert.deepEqual(
      (JSON.parse(lastLine(files.stdout)) as { path: string }[]).map(f => f.path),
      ['server.go'],
    );
    const found = await cli(['search', 'start the http server', '--store', budgetStore, '--json']);
    assert.equal(found.code, 0, found.stderr);
    assert.ok((JSON.parse(lastLine(found.stdout)) as unknown[]).length > 0);
    // Indexing into it under another budget would cut chunks differently from the stored ones: it says so.
    const reindex = await cli(['index', small, '--store', budgetStore, '--json']);
    assert.equal(reindex.code, 0, reindex.stderr);
    assert.match(reindex.stderr, /budget 96.*not .*budget 256.*rebuilt/);
  });

  describe('without --store', () => {
    let cache: string;
    let repo: string;
    const inCache = (extra: { cwd: string }) => ({ ...extra, env: { SEMSEARCH_CACHE_DIR: cache } });

    before(async () => {
      cache = path.join(tmp, 'cache');
      repo = path.join(tmp, 'repo');
      fs.mkdirSync(path.join(repo, 'src', 'deep'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'src', 'server.go'), fixture('test/fixtures/chunker/server.go'));
    });

    it('index . keeps the index under the cache folder; search and files in that folder (or below it) read it', async () => {
      const indexed = await cli(['index', '.', '--json'], inCache({ cwd: repo }));
      assert.equal(indexed.code, 0, indexed.stderr);
      assert.equal(JSON.parse(lastLine(indexed.stdout)).files.indexed, 1);
      const stores = fs.readdirSync(path.join(cache, 'semsearch', 'stores'));
      assert.equal(stores.length, 1, stores.join(', '));
      assert.match(stores[0], /^repo-[0-9a-f]{16}$/);
      assert.ok(!fs.existsSync(path.join(repo, '.semsearch')) && fs.readdirSync(repo).join() === 'src', 'nothing written into the folder');

      for (const cwd of [repo, path.join(repo, 'src', 'deep')]) {
        const found = await cli(['search', 'start the http server', '--json', '-k', '1'], inCache({ cwd }));
        assert.equal(found.code, 0, found.stderr);
        assert.equal((JSON.parse(lastLine(found.stdout)) as { path: string }[])[0].path, 'src/server.go', cwd);
      }
      const files = await cli(['files', '--json'], inCache({ cwd: repo }));
      assert.equal(files.code, 0, files.stderr);
      assert.deepEqual(
        (JSON.parse(lastLine(files.stdout)) as { path: string }[]).map(f => f.path),
        ['src/server.go'],
      );
    });

    it('a folder given through a symlink shares the store of its real path', async () => {
      const link = path.join(tmp, 'repo-link');
      fs.symlinkSync(repo, link, 'dir');
      const again = await cli(['index', link, '--json'], inCache({ cwd: tmp }));
      assert.equal(again.code, 0, again.stderr);
      assert.equal(JSON.parse(lastLine(again.stdout)).embedded, 0, 'the same store: nothing to embed again');
      assert.equal(fs.readdirSync(path.join(cache, 'semsearch', 'stores')).length, 1);
      const found = await cli(['search', 'start the http server', '--json'], inCache({ cwd: link }));
      assert.equal(found.code, 0, found.stderr);
    });

    it('index of a missing folder says it is not a folder', async () => {
      const missing = path.join(tmp, 'no-such-repo');
      const first = assertCleanFailure(await cli(['index', missing], inCache({ cwd: tmp })), /is not a folder/);
      assert.ok(first.includes(missing), first);
    });
  });

  it('a re-run says what changed since the last run, or that nothing did (and no rate of nothing)', async () => {
    const small = path.join(tmp, 'rerun');
    const rerunStore = path.join(tmp, 'rerun-store');
    fs.mkdirSync(small);
    for (const name of ['inventory.py', 'server.go']) fs.writeFileSync(path.join(small, name), fixture(`test/fixtures/chunker/${name}`));
    const index = async () => {
      const r = await cli(['index', small, '--store', rerunStore, '--json']);
      assert.equal(r.code, 0, r.stderr);
      return {
        stderr: r.stderr,
        s: JSON.parse(lastLine(r.stdout)) as { chunks: number; embedded: number; tokensPerSecond: number; changes: Record<string, number> },
      };
    };
    const first = await index();
    assert.deepEqual(first.s.changes, { added: 2, changed: 0, removed: 0, unchanged: 0 });
    assert.match(
      first.stderr,
      new RegExp(`^indexed 2 files: 2 added; ${first.s.chunks} chunks \\(${first.s.chunks} embedded\\) in [\\d.]+ s$`, 'm'),
    );

    const same = await index();
    assert.deepEqual(same.s.changes, { added: 0, changed: 0, removed: 0, unchanged: 2 });
    assert.equal(same.s.embedded, 0);
    assert.equal(same.s.tokensPerSecond, 0);
    assert.equal(lastLine(same.stderr), `nothing changed since the last run (2 files, ${first.s.chunks} chunks)`);
    assert.doesNotMatch(same.stderr, /tokens\/s|^indexed/m);

    fs.appendFileSync(
      path.join(small, 'inventory.py'),
      '\n\ndef restock_all(inventory):\n    """Orders every low item again."""\n    return [inventory.order(i) for i in inventory.low()]\n',
    );
    fs.rmSync(path.join(small, 'server.go'));
    fs.writeFileSync(path.join(small, 'TodoList.tsx'), fixture('test/fixtures/chunker/TodoList.tsx'));
    const changed = await index();
    assert.deepEqual(changed.s.changes, { added: 1, changed: 1, removed: 1, unchanged: 0 });
    assert.match(
      changed.stderr,
      /^indexed 2 files: 1 added, 1 changed, 1 removed; [\d,]+ chunks \([\d,]+ embedded, [\d,]+ reused\) in [\d.]+ s$/m,
    );
  });

  it('exits quietly when stdout is closed early (files | head)', async () => {
    const child = spawn(process.execPath, [CLI, 'files', '--store', store], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', d => {
      stderr += String(d);
    });
    const code = await new Promise<number | null>(resolve => child.on('close', c => resolve(c)));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});

function pick(f: { status: string; reason: string }): { status: string; reason: string } {
  return { status: f.status, reason: f.reason };
}
