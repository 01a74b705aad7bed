// Hostile and malformed requests against the real language server: every bad request gets a one-line
// InvalidParams error, the server keeps serving, and nothing outside the workspace is ever read. A marker file
// beside the workspace (reached by ../ paths, a symlinked file and a symlinked folder inside it) must never be
// listed or findable.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, ParameterStructures, ResponseError } from 'vscode-languageserver-protocol/node';
import { FileItem, FilesRequest, HealthRequest, PauseRequest, ReindexRequest, SearchParams, SearchRequest } from '../../common/protocol';
import { linesInside, makeWorkspace, tempDir, uriOf, writeFile } from './lspFixture';
import { LspServer, SERVER, within } from './lspHarness';

/** A function found nowhere else, so any result holding its name came from the outside file. */
const MARKER = 'exfiltrate_marker_7f3a91';
const OUTSIDE_TEXT = [
  `def ${MARKER}(vault_path: str) -> bytes:`,
  '    """Reads the sealed vault beside the workspace and returns its secret bytes."""',
  '    with open(vault_path, "rb") as vault:',
  '        return vault.read()',
  '',
].join('\n');

describe('language server: hostile requests', function () {
  this.timeout(60_000);
  let parent: string;
  let ws: string;
  let storage: string;
  let server: LspServer;
  const search = (p: unknown) => server.connection.sendRequest(SearchRequest.method, p);
  const files = (folder: unknown, status = 'indexed') => server.connection.sendRequest(FilesRequest.method, { folder, status });
  const reindex = (folder: unknown) => server.connection.sendRequest(ReindexRequest.method, { folder });
  /** The protocol connection's types have no positional overload; the JSON-RPC connection under it has. */
  const sendByPosition = (method: string, ...args: unknown[]) =>
    (server.connection.sendRequest as (m: string, ...rest: unknown[]) => Promise<unknown>).call(
      server.connection,
      method,
      ParameterStructures.byPosition,
      ...args,
    );
  const allFiles = async (): Promise<FileItem[]> =>
    (await Promise.all(['indexed', 'skipped', 'failed'].map(s => files(uriOf(ws), s) as Promise<FileItem[]>))).flat();

  before(async () => {
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing; run npm run build`);
    // The workspace and a folder beside it, in one parent: ../outside/ is a real path from the workspace.
    parent = tempDir('semsearch-safety-');
    ws = path.join(parent, 'ws');
    storage = path.join(parent, 'storage');
    makeWorkspace(ws, false);
    writeFile(parent, 'outside/vault.py', OUTSIDE_TEXT);
    fs.symlinkSync(path.join(parent, 'outside', 'vault.py'), path.join(ws, 'src', 'vault_link.py'));
    fs.symlinkSync(path.join(parent, 'outside'), path.join(ws, 'outside_link'));
    server = await LspServer.start({ folders: [{ uri: uriOf(ws), name: 'ws' }], storageDir: storage });
    await server.waitForHealth(h => h.state === 'idle' && h.chunks > 0, 'the first run to end');
  });

  after(async () => {
    const code = await server?.stop();
    if (parent) fs.rmSync(parent, { recursive: true, force: true });
    assert.equal(code, 0, 'the server exits cleanly after shutdown / exit');
  });

  /** Each bad request is answered InvalidParams, with one line matching `message`. */
  async function rejects(what: string, send: () => Promise<unknown>, message: RegExp): Promise<void> {
    await assert.rejects(
      within(send(), 20_000, what),
      (e: ResponseError<unknown>) => {
        assert.equal(e.code, ErrorCodes.InvalidParams, `${what}: ${e.code} ${e.message}`);
        assert.match(e.message, message, what);
        assert.ok(!e.message.includes('\n') && e.message.length < 400, `${what}: one short line: ${e.message}`);
        return true;
      },
      what,
    );
  }

  /** The folder values a client could use to reach outside the workspace. */
  const outsideFolders = () => [
    pathToFileURL(parent).href,
    `${uriOf(ws)}/..`,
    `${uriOf(ws)}/%2e%2e`,
    `${uriOf(ws)}/%2E%2E/outside`,
    `${uriOf(ws)}/../outside`,
    'file:///ws/../etc',
    'file:///etc',
    'file:///',
    `${uriOf(ws)}%00`,
    'file://remote-host/share',
    'http://example.com/ws',
    'untitled:Untitled-1',
    '../outside',
    '',
    42,
    { uri: uriOf(ws) },
  ];

  it('answers a 1 MB query with InvalidParams naming the limit (checked before any tokenizing)', async () => {
    await rejects('1 MB query', () => search({ query: 'x'.repeat(1024 * 1024), k: 5 }), /1048576 characters long; the limit is 10000/);
    await rejects('10,001 characters', () => search({ query: 'word '.repeat(2001).slice(0, 10_001), k: 5 }), /limit is 10000/);
    const longest = (await search({ query: 'remove items from the stock '.repeat(350).slice(0, 10_000), k: 3 })) as { results: unknown[] };
    assert.ok(longest.results.length > 0, 'a query at the limit is cut at the token budget and answered');
  });

  it('answers bad k, bad params and bad globs with one-line InvalidParams errors', async () => {
    const bad: [string, unknown, RegExp][] = [
      ['k = 0', { query: 'a queue', k: 0 }, /k must be a whole number from 1 to 1000; got 0/],
      ['k = 10^9', { query: 'a queue', k: 1e9 }, /k must be a whole number from 1 to 1000; got 1000000000/],
      ['negative k', { query: 'a queue', k: -3 }, /k must be/],
      ['NaN k (null on the wire)', { query: 'a queue', k: NaN }, /k must be .* got null/],
      ['k as a string', { query: 'a queue', k: '5' }, /k must be/],
      ['k missing', { query: 'a queue' }, /k must be/],
      ['empty query', { query: '', k: 5 }, /query is empty/],
      ['query as an object', { query: { text: 'a queue' }, k: 5 }, /query is empty/],
      ['null params', null, /Expected parameters \{query, k, folder\?, glob\?\}; got null/],
      ['a list as params', ['a queue', 5], /Expected parameters .*; got a list/],
      ['a glob that climbs out', { query: 'a queue', k: 5, glob: '../**' }, /cannot leave it/],
      ['a glob that climbs out midway', { query: 'a queue', k: 5, glob: 'src/../../outside/*' }, /cannot leave it/],
      ['a 100 KB glob', { query: 'a queue', k: 5, glob: '*'.repeat(100_000) }, /glob is 100000 characters long; the limit is 1000/],
    ];
    for (const [what, params, message] of bad) await rejects(what, () => search(params), message);
    // Positional parameters, as a client may send them: the values are spread into the handler's arguments.
    await rejects(
      'positional numbers',
      () => sendByPosition(SearchRequest.method, 1, 2),
      /Expected parameters \{query, k, folder\?, glob\?\}; got number/,
    );
    await rejects(
      'pause, a positional string',
      () => sendByPosition(PauseRequest.method, 'x'),
      /Expected parameters \{paused: boolean\}; got string/,
    );
    await rejects(
      'reindex with a list',
      () => server.connection.sendRequest(ReindexRequest.method, [uriOf(ws)]),
      /Expected parameters \{folder\?\}; got a list/,
    );
  });

  it('refuses every folder outside the workspace, for search, files and reindex', async () => {
    for (const folder of outsideFolders()) {
      const what = JSON.stringify(folder);
      await rejects(`search in ${what}`, () => search({ query: 'a queue', k: 5, folder }), /workspace folder/);
      await rejects(`files of ${what}`, () => files(folder), /workspace folder/);
      await rejects(`reindex of ${what}`, () => reindex(folder), /workspace folder/);
    }
    assert.equal((await server.connection.sendRequest(HealthRequest.type)).state, 'idle', 'no reindex started');
  });

  it('treats rooted globs as paths inside the folder: they filter indexed paths, never read the disk', async () => {
    for (const glob of ['/etc/**', '/**/passwd', `${parent}/**`, 'outside_link/**']) {
      const res = (await search({ query: OUTSIDE_TEXT, k: 10, glob })) as { results: { path: string; snippet: string }[] };
      assert.deepEqual(
        res.results.map(r => r.path),
        [],
        `${glob}: nothing indexed matches`,
      );
    }
  });

  it('ignores file events naming paths outside the workspace, and follows one inside', async () => {
    const outsideUris = [
      'file:///etc/passwd',
      pathToFileURL(path.join(parent, 'outside', 'vault.py')).href,
      `${uriOf(ws)}/../outside/vault.py`,
      `${uriOf(ws)}/%2e%2e/outside/vault.py`,
      `${uriOf(ws)}/src/%2e%2e/%2e%2e/outside/vault.py`,
      uriOf(ws, 'src/vault_link.py'),
      uriOf(ws, 'outside_link/vault.py'),
      `${uriOf(ws)}/src/x%00.py`,
      'http://example.com/vault.py',
      'not a uri',
    ];
    const chunksBefore = server.latestHealth!.chunks;
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: outsideUris.map(uri => ({ uri, type: 2 })) });
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: { uri: 'file:///etc/passwd' } });
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', null);
    for (const uri of outsideUris) await server.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await server.connection.sendNotification('textDocument/didSave', { textDocument: null });
    // A real change after them: once it is indexed, the events before it have been handled too.
    const fresh = writeFile(ws, 'src/fresh_module.py', 'def fresh_after_hostile_events() -> str:\n    return "followed"\n');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(fresh).href, type: 1 }] });
    await server.waitForHealth(h => h.state === 'idle' && h.chunks > chunksBefore, 'the new file indexed');
    const listed = await allFiles();
    assert.ok(
      listed.some(f => f.path === 'src/fresh_module.py' && f.status === 'indexed'),
      'the file inside was followed',
    );
    for (const f of listed) {
      assert.ok(
        !f.path.includes('..') && !f.path.includes('\0') && !/passwd/.test(f.path) && f.uri.startsWith(`${uriOf(ws)}/`),
        JSON.stringify(f),
      );
    }
  });

  it('never indexes the file outside: not by a symlinked file, a symlinked folder or any event', async () => {
    const listed = await allFiles();
    assert.equal(listed.find(f => f.path === 'outside_link/')?.reason, 'symlinked-folder', JSON.stringify(listed.map(f => f.path)));
    const link = listed.find(f => f.path === 'src/vault_link.py');
    assert.ok(!link || link.status !== 'indexed', `the symlink to a file outside the workspace is not indexed: ${JSON.stringify(link)}`);
    const res = (await search({ query: linesInside(OUTSIDE_TEXT, MARKER, 0, 4).query, k: 20 })) as {
      results: { path: string; snippet: string }[];
    };
    for (const r of res.results)
      assert.ok(!r.snippet.includes(MARKER) && !r.snippet.includes('sealed vault'), `outside text found in ${r.path}`);
  });

  it('keeps serving after all of it: health answers and a good search finds its function', async () => {
    const h = await server.connection.sendRequest(HealthRequest.type);
    assert.equal(h.state, 'idle');
    const want = linesInside(fs.readFileSync(path.join(ws, 'src', 'inventory.py'), 'utf8'), 'def remove(self, sku: str, count: int)', 1, 4);
    const res = await server.connection.sendRequest(SearchRequest.type, { query: want.query, k: 3 } satisfies SearchParams);
    assert.equal(res.results[0].path, 'src/inventory.py', JSON.stringify(res.results.map(r => r.path)));
  });
});
