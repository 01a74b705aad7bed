// The language server SIGKILLed in the middle of a run, inside a real VS Code: the client starts a new one,
// which takes over the dead one's store lock, loads the last checkpoint and finishes the run, embedding only
// what the checkpoint did not hold. The index it ends with matches an uninterrupted run of the CLI on the
// same files, file by file. (runE2e.ts sets SEMSEARCH_CHECKPOINT_CHUNKS=16 so a short run checkpoints.)

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FilesRequest, type FileItem, type FilesParams } from '../../../common/protocol';
import type { SemanticSearchApi } from '../../../client/src/api';
import { writePythonModules } from '../../helpers/pythonModules';
import { describeHealth, waitForHealth, waitUntil, withDeadline } from './waiting';

const EXTENSION_ID = 'semsearch.semsearch';
const GENERATED = 60;
/** A budget other than the default, so every file is cut again and every chunk embedded again. */
const RECUT_TOKENS = 192;

/** The parent of a process (the language server is the parent of its embedder workers). */
function parentPid(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface CliFile {
  path: string;
  status: string;
  chunks: number;
}

function cli(extensionPath: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [path.join(extensionPath, 'dist', 'cli.js'), ...args],
      { env: process.env, timeout: 240_000, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => (err ? reject(new Error(`semsearch ${args[0]} failed: ${stderr}`)) : resolve(stdout)),
    ),
  );
}

describe('Semsearch: the language server killed while indexing', function () {
  let api: SemanticSearchApi;
  let extensionPath: string;
  let folder: vscode.WorkspaceFolder;
  let tmp: string;
  const config = () => vscode.workspace.getConfiguration('semsearch');
  const files = (params: FilesParams) => api.client.sendRequest<FileItem[]>(FilesRequest.method, params);

  before(async function () {
    this.timeout(120_000);
    const ext = vscode.extensions.getExtension<SemanticSearchApi>(EXTENSION_ID)!;
    api = await withDeadline(`activating ${EXTENSION_ID}`, ext.activate(), 60_000);
    extensionPath = ext.extensionPath;
    folder = vscode.workspace.workspaceFolders![0];
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-e2e-restart-'));
  });

  after(async () => {
    await config().update('maxChunkTokens', undefined, vscode.ConfigurationTarget.Workspace);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the client restarts it; the new server resumes from the checkpoint and ends with the uninterrupted index', async function () {
    this.timeout(600_000);
    const idle = await waitForHealth(api, 'the index to be idle', h => h.state === 'idle' && h.folders.length === 1, 300_000);
    const indexedBefore = idle.folders[0].files.indexed;
    const genDir = path.join(folder.uri.fsPath, 'ledger');
    writePythonModules(genDir, 0, GENERATED);
    await waitForHealth(
      api,
      'the generated files to be indexed',
      h => h.state === 'idle' && h.folders[0].files.indexed >= indexedBefore + GENERATED,
      300_000,
    );

    await config().update('maxChunkTokens', RECUT_TOKENS, vscode.ConfigurationTarget.Workspace);
    const mid = await waitForHealth(
      api,
      'the re-cut run to be under way',
      h =>
        h.state === 'indexing' &&
        !!h.progress &&
        h.progress.filesTotal > 0 &&
        h.progress.filesDone >= 0.4 * h.progress.filesTotal &&
        h.workers.length > 0,
      300_000,
    );
    const oldWorkers = mid.workers.map(w => w.pid);
    const server = parentPid(oldWorkers[0]);
    console.log(`  killing the language server (pid ${server}) at ${mid.progress!.filesDone}/${mid.progress!.filesTotal} files`);
    const shown: string[] = [];
    const watch = api.onDidChangeHealth(h => {
      if (h.state === 'error' && h.message) shown.push(h.message);
    });
    process.kill(server, 'SIGKILL');

    const done = await waitForHealth(
      api,
      'a restarted server to finish the run',
      h => h.state === 'idle' && !!h.lastRun && h.workers.length > 0 && !h.workers.some(w => oldWorkers.includes(w.pid)),
      300_000,
      false,
    );
    watch.dispose();
    console.log(`  restarted: ${describeHealth(done)}; its run embedded ${done.lastRun!.embedded} of ${done.chunks} chunks`);
    assert.ok(
      shown.some(m => /stopped unexpectedly and is being restarted/.test(m)),
      `the user was told the server is coming back: ${JSON.stringify(shown)}`,
    );
    await waitUntil('the killed server and its workers to be gone', () => ![server, ...oldWorkers].some(alive), 30_000);
    assert.notEqual(parentPid(done.workers[0].pid), server, 'a new server process');
    assert.equal(done.folders[0].lockedBy, undefined, "the new server took over the dead one's store lock");
    assert.equal(done.folders[0].files.failed, 0, describeHealth(done));
    // A re-cut run reuses nothing from before the cut (its chunks are new), so without the checkpoint the new
    // server would embed every chunk again; with it, at least one checkpoint's worth (16 chunks) is spared.
    assert.ok(
      done.lastRun!.embedded > 0 && done.lastRun!.embedded <= done.chunks - 16,
      `resumed from the checkpoint, not from scratch: ${done.lastRun!.embedded} of ${done.chunks}`,
    );

    // An uninterrupted run over the same files, with the same budget, by the CLI: the same chunks per file.
    const store = path.join(tmp, 'store');
    const summary = JSON.parse(
      (await cli(extensionPath, ['index', folder.uri.fsPath, '--store', store, '--max-chunk-tokens', String(RECUT_TOKENS), '--json']))
        .trimEnd()
        .split('\n')
        .pop()!,
    ) as { chunks: number };
    const expected = (JSON.parse(await cli(extensionPath, ['files', '--store', store, '--json'])) as CliFile[])
      .filter(f => f.status === 'indexed')
      .map(f => `${f.path} ${f.chunks}`)
      .sort();
    const actual = (await files({ folder: done.folders[0].uri, status: 'indexed' })).map(f => `${f.path} ${f.chunks}`).sort();
    assert.deepEqual(actual, expected, 'the same files with the same chunk counts');
    assert.equal(done.chunks, summary.chunks);
  });
});
