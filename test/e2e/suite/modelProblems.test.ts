// A model that is not installed, in a real VS Code: the user picks a transformer model that is not on disk.
// The extension says so once, in a notification with the fixes; the health view shows no rows (its welcome
// content offers the fixes instead, which the package test sees rendered); the download action fetches from the hub the run points at (a loopback
// fake hub serving the stand-in's files, never the internet), checks the checksum and keeps nothing it could
// not verify; going back to the model the suite runs with indexes again.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SemanticSearchApi } from '../../../client/src/api';
import { FakeModelHub } from '../../helpers/fakeModelHub';
import { describeHealth, waitForHealth } from './waiting';

const MISSING = 'Xenova/all-MiniLM-L6-v2';

describe('Semsearch: a model that is not installed', function () {
  this.timeout(180_000);
  let api: SemanticSearchApi;
  let hub: FakeModelHub | undefined;
  /** An empty models folder of the user's choosing: the shared one is never written to. */
  const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-e2e-models-'));
  const config = () => vscode.workspace.getConfiguration('semsearch');

  before(async function () {
    api = vscode.extensions.getExtension<SemanticSearchApi>('semsearch.semsearch')!.exports;
    assert.ok(api, 'the extension is active (extension.test.ts ran first)');
    const port = Number(process.env.SEMSEARCH_E2E_HUB_PORT);
    assert.ok(port > 0, 'the runner names the fake hub port (SEMSEARCH_E2E_HUB_PORT)');
    hub = new FakeModelHub(MISSING, path.join(process.env.SEMSEARCH_MODEL_DIR!, process.env.SEMSEARCH_MODEL || 'minilm-standin'));
    await hub.start(port);
    await waitForHealth(api, 'idle before the model changes', h => h.state === 'idle');
  });

  after(async () => {
    await config().update('modelId', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('modelsDir', undefined, vscode.ConfigurationTarget.Workspace);
    await hub?.stop();
    fs.rmSync(modelsDir, { recursive: true, force: true });
  });

  it('says once, in a notification with the fixes, that the chosen model is missing; the view shows only its welcome', async () => {
    await config().update('modelsDir', modelsDir, vscode.ConfigurationTarget.Workspace);
    await config().update('modelId', MISSING, vscode.ConfigurationTarget.Workspace);
    const h = await waitForHealth(
      api,
      'the missing-model problem',
      x => x.state === 'error' && x.problem?.modelId === MISSING,
      60_000,
      false,
    );
    assert.deepEqual(h.problem, { kind: 'model-missing', modelId: MISSING, canDownload: true }, describeHealth(h));
    assert.match(h.message ?? '', /Model "Xenova\/all-MiniLM-L6-v2" is missing .*onnx\/model_quantized\.onnx/);
    assert.ok(h.message!.includes(modelsDir), h.message);
    // Pushed health repeats the problem; the notification is shown once.
    await waitForHealth(api, 'a notice', () => api.notices().some(n => n.includes(MISSING)), 10_000, false);
    await vscode.commands.executeCommand('semanticSearch.focusHealth');
    assert.equal(api.notices().filter(n => n.includes(MISSING)).length, 1, JSON.stringify(api.notices()));
    // No rows of zeros: buildNodes gives none for a problem (test/unit/healthNodes.test.ts), and the package
    // test sees the welcome content's download button in the rendered view.
  });

  it('downloads from the configured hub on request, rejects the files that fail the checksum, and stays in the problem state', async () => {
    await vscode.commands.executeCommand('semanticSearch.downloadModel');
    assert.ok(
      hub!.requests.some(r => r.endsWith('/onnx/model_quantized.onnx')),
      `the fake hub was asked for the model: ${JSON.stringify(hub!.requests)}`,
    );
    assert.deepEqual(fs.readdirSync(modelsDir), [], 'nothing unverified is kept, not even a staging folder');
    assert.equal(api.health()?.problem?.kind, 'model-missing', describeHealth(api.health()));
  });

  it('indexes again once the setting names a model that is there', async () => {
    await config().update('modelsDir', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('modelId', undefined, vscode.ConfigurationTarget.Workspace);
    const h = await waitForHealth(
      api,
      "idle with the suite's model",
      x => x.state === 'idle' && !x.problem && x.chunks > 0,
      120_000,
      false,
    );
    assert.equal(h.model.id, process.env.SEMSEARCH_MODEL || 'minilm-standin');
  });
});
