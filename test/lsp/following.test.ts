// The real language server following a workspace after its first run: created, saved, deleted and newly
// ignored files (didChangeWatchedFiles, didSave), and settings changed through didChangeConfiguration.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidSaveTextDocumentNotification,
  FileChangeType,
} from 'vscode-languageserver-protocol/node';
import { FilesRequest, FolderHealth, Health, HealthRequest, SearchRequest } from '../../common/protocol';
import { linesInside, makeWorkspace, tempDir, uriOf, writeFile } from './lspFixture';
import { LspServer, totalBatches } from './lspHarness';

/** The indexed paths of the one store below `storage`, as saved on disk (files.json). */
function savedPaths(storage: string): string[] {
  const [store] = fs
    .readdirSync(storage)
    .map(d => path.join(storage, d))
    .filter(d => fs.existsSync(path.join(d, 'files.json')));
  if (!store) return [];
  return (JSON.parse(fs.readFileSync(path.join(store, 'files.json'), 'utf8')) as { path: string; status: string }[])
    .filter(f => f.status === 'indexed')
    .map(f => f.path);
}

/** Three functions, each long enough to be its own chunk. */
function threeFunctions(prefix: string): string {
  return (
    ['celsius', 'fahrenheit', 'kelvin']
      .map(unit =>
        [
          `export function ${prefix}To${unit[0].toUpperCase()}${unit.slice(1)}(readings: number[], offset: number): number[] {`,
          `  // Converts every ${unit} reading and drops the ones the sensor flagged as out of range.`,
          '  const converted: number[] = [];',
          '  for (const reading of readings) {',
          `    if (Number.isNaN(reading) || reading < -273.15) continue;`,
          `    converted.push(Math.round((reading + offset) * 100) / 100);`,
          '  }',
          `  return converted.filter(value => value !== ${unit.length});`,
          '}',
        ].join('\n'),
      )
      .join('\n\n') + '\n'
  );
}

describe('language server: following the workspace', function () {
  this.timeout(60_000);
  let ws: string;
  let storage: string;
  let server: LspServer;
  const health = () => server.connection.sendRequest(HealthRequest.type);
  const main = (h: Health): FolderHealth => h.folders[0];
  const changed = (rel: string, type: FileChangeType) =>
    server.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(ws, rel), type }] });
  const idleWith = async (pred: (f: FolderHealth) => boolean, what: string) =>
    main(await server.waitForHealth(h => h.state === 'idle' && pred(main(h)), what));
  const indexedPaths = async () =>
    (await server.connection.sendRequest(FilesRequest.type, { folder: uriOf(ws), status: 'indexed' })).map(f => f.path);

  before(async () => {
    [ws, storage] = [tempDir('semsearch-lsp-follow-'), tempDir('semsearch-lsp-follow-storage-')];
    makeWorkspace(ws, false);
    server = await LspServer.start({ folders: [{ uri: uriOf(ws), name: 'ws' }], storageDir: storage });
    await server.waitForHealth(h => h.state === 'idle' && main(h).files.indexed > 0, 'the first run to finish');
  });

  after(async () => {
    await server?.stop();
    for (const dir of [ws, storage]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes a created file and drops it again when it is deleted', async () => {
    const before = main(await health());
    const text = threeFunctions('thermometer');
    writeFile(ws, 'src/added/sensors.ts', text);
    await changed('src/added/sensors.ts', FileChangeType.Created);
    const grown = await idleWith(f => f.files.indexed === before.files.indexed + 1, 'the new file indexed');
    assert.ok(grown.chunks > before.chunks);
    // Saved at once (not at the next full run or at shutdown), so another process reading the store sees it.
    const logged = server.logs.length;
    await server.waitFor(
      () =>
        server.logs.slice(logged).find(l => l.includes('Saved the index of ws')) ??
        (savedPaths(storage).includes('src/added/sensors.ts') ? 'saved' : undefined),
      'the followed file saved',
    );
    assert.ok(savedPaths(storage).includes('src/added/sensors.ts'), 'files.json on disk lists the followed file');
    const want = linesInside(text, 'thermometerToKelvin', 1, 4);
    const [top] = (await server.connection.sendRequest(SearchRequest.type, { query: want.query, k: 3 })).results;
    assert.equal(top.uri, uriOf(ws, 'src/added/sensors.ts'));
    assert.ok(top.range.start.line <= want.startLine - 1 && top.range.end.line >= want.endLine, JSON.stringify(top.range));

    fs.rmSync(path.join(ws, 'src', 'added'), { recursive: true });
    await changed('src/added', FileChangeType.Deleted); // a deleted folder: VS Code reports the folder alone
    const shrunk = await idleWith(f => f.files.indexed === before.files.indexed, 'the deleted file gone');
    assert.equal(shrunk.chunks, before.chunks, 'its chunks left the index');
    assert.ok(!(await indexedPaths()).includes('src/added/sensors.ts'));
  });

  it('reports the progress of following a created folder of many files, file by file', async () => {
    const seen = server.healths.length;
    for (let i = 0; i < 60; i++) {
      fs.mkdirSync(path.join(ws, 'src', 'many'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'src', 'many', `unit${i}.ts`), threeFunctions(`unit${i}`));
    }
    await changed('src/many', FileChangeType.Created); // a folder created whole (an unpacked archive, a checkout)
    await idleWith(f => f.files.indexed >= 60, 'the created folder indexed');
    const updates = server.healths
      .slice(seen)
      .map(h => h.progress)
      .filter(p => p?.phase === 'updating');
    assert.ok(
      updates.some(p => p!.filesDone > 0 && p!.chunksStored > 0 && p!.filesTotal >= p!.filesDone),
      JSON.stringify(updates.slice(-3)),
    );
    const before = (await health()).folders[0].files.indexed;
    fs.rmSync(path.join(ws, 'src', 'many'), { recursive: true, force: true });
    await changed('src/many', FileChangeType.Deleted);
    await idleWith(f => f.files.indexed === before - 60, 'the folder dropped');
  });

  it('re-indexes a saved file: a function added to it is found at its lines', async () => {
    const before = main(await health());
    const file = path.join(ws, 'src', 'ms.js');
    const added = `\n${threeFunctions('probe')
      .replace(/export function/g, 'function')
      .replace(/: number\[\]|: number/g, '')}`;
    fs.appendFileSync(file, added);
    await server.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: uriOf(ws, 'src/ms.js') } });
    await idleWith(f => f.chunks > before.chunks, 'the saved file re-indexed');
    const text = fs.readFileSync(file, 'utf8');
    const want = linesInside(text, 'function probeToFahrenheit', 1, 4);
    const [top] = (await server.connection.sendRequest(SearchRequest.type, { query: want.query, k: 3 })).results;
    assert.equal(top.path, 'src/ms.js');
    assert.ok(top.range.start.line <= want.startLine - 1 && top.range.end.line >= want.endLine, JSON.stringify(top.range));
    // The new identifier's terms came in with its vectors: a lexical search finds the function that defines it.
    const [byName] = (await server.connection.sendRequest(SearchRequest.type, { query: 'probeToFahrenheit', k: 3, mode: 'lexical' }))
      .results;
    assert.equal(byName.path, 'src/ms.js');
    assert.equal(byName.symbol, 'probeToFahrenheit');
    assert.ok(byName.why.lexical?.terms.includes('probetofahrenheit') && byName.why.boosts.includes('defines'), JSON.stringify(byName.why));
  });

  it('drops a file that becomes gitignored, and keeps node_modules and minified files out', async () => {
    const before = main(await health());
    writeFile(ws, 'src/extra/secret.ts', threeFunctions('secret'));
    await changed('src/extra/secret.ts', FileChangeType.Created);
    await idleWith(f => f.files.indexed === before.files.indexed + 1, 'secret.ts indexed');
    writeFile(ws, 'src/extra/.gitignore', 'secret.ts\n');
    await changed('src/extra/.gitignore', FileChangeType.Created);
    const ignored = await idleWith(f => f.files.skipped.gitignored === (before.files.skipped.gitignored ?? 0) + 1, 'secret.ts gitignored');
    assert.equal(ignored.chunks, before.chunks + 1, 'secret.ts left; the one-line .gitignore came in');
    assert.ok(!(await indexedPaths()).includes('src/extra/secret.ts'));
    writeFile(ws, '.gitignore', 'src/ms.js\n'); // the top-level .gitignore: the whole folder is judged again
    await changed('.gitignore', FileChangeType.Created);
    await idleWith(f => f.files.skipped.gitignored === (before.files.skipped.gitignored ?? 0) + 2, 'src/ms.js gitignored');
    assert.ok(!(await indexedPaths()).includes('src/ms.js'));

    writeFile(ws, 'node_modules/left-pad/extra.js', threeFunctions('vendored'));
    writeFile(ws, 'src/vendor2.js', fs.readFileSync(path.join(ws, 'src', 'vendor.js'), 'utf8'));
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [
        { uri: uriOf(ws, 'node_modules/left-pad/extra.js'), type: FileChangeType.Created },
        { uri: uriOf(ws, 'src/vendor2.js'), type: FileChangeType.Created },
      ],
    });
    const chunks = main(await health()).chunks;
    const after = await idleWith(f => f.files.skipped.minified === 2, 'the second minified file skipped');
    assert.equal(after.files.skipped['excluded-folder'], 2, 'node_modules/ and dist/, still once each');
    assert.equal(after.chunks, chunks);
    assert.ok(!(await indexedPaths()).some(p => p.startsWith('node_modules/')));
  });

  it('applies a new batch size to the next batch, without restarting the workers', async () => {
    const pulls = server.configPulls;
    server.config.batchSize = 1;
    await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await server.waitFor(() => server.configPulls > pulls || undefined, 'the server to pull the settings');
    const before = await health();
    writeFile(ws, 'src/batched.ts', threeFunctions('batched'));
    await changed('src/batched.ts', FileChangeType.Created);
    await idleWith(f => f.files.indexed === main(before).files.indexed + 1, 'batched.ts indexed');
    const after = await health();
    const chunks = (await server.connection.sendRequest(FilesRequest.type, { folder: uriOf(ws), status: 'indexed' })).find(
      f => f.path === 'src/batched.ts',
    )!.chunks;
    assert.ok(chunks >= 2, `the file has ${chunks} chunks`);
    assert.equal(totalBatches(after) - totalBatches(before), chunks, 'one batch per chunk');
    assert.deepEqual(
      after.workers.map(w => [w.pid, w.restarts]),
      before.workers.map(w => [w.pid, w.restarts]),
      'the same workers',
    );
  });

  it('restarts the workers when a pool setting changes, without restarting the server', async () => {
    const before = await health();
    const pulls = server.configPulls;
    server.config.workerMemoryLimitMB = 2048;
    await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await server.waitFor(() => server.configPulls > pulls || undefined, 'the server to pull the settings');
    await server.waitForHealth(h => h.workers.length === 0, 'the old workers stopped');
    await server.connection.sendRequest(SearchRequest.type, { query: 'convert the readings', k: 1 });
    const after = await health();
    assert.ok(after.workers.length > 0);
    const old = new Set(before.workers.map(w => w.pid));
    assert.ok(
      after.workers.every(w => !old.has(w.pid)),
      `new workers: ${JSON.stringify([before.workers, after.workers])}`,
    );
    assert.ok(
      server.logs.some(l => /Settings changed: workerMemoryLimitMB/.test(l)),
      server.logs.join('\n'),
    );
  });

  it('saves the index on shutdown; a restarted server loads it, changes included, before its first run', async () => {
    const last = await health();
    assert.equal(await server.stop(), 0);
    server = await LspServer.start({ folders: [{ uri: uriOf(ws), name: 'ws' }], storageDir: storage });
    const first = await server.waitForHealth(h => h.state === 'indexing', 'the first run to start');
    assert.equal(first.chunks, last.chunks, 'the saved chunks, changes included, are loaded before the run');
    await server.waitForHealth(h => h.state === 'idle' && h.chunks === last.chunks, 'the run over the loaded index');
  });
});
