// The opt-in model download against a loopback HTTP server serving fake model files: pins checked, nothing
// half-written or unverified left under a final name, one-line errors. No real network is used.

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  downloadModel,
  ensureModel,
  KNOWN_MODEL_PINS,
  ModelDownloadError,
  modelBaseUrl,
  ModelPins,
} from '../../server/src/engine/model/modelDownload';
import { locateModel, ModelNotFoundError, REQUIRED_MODEL_FILES } from '../../server/src/engine/model/modelFiles';
import { PROJECT_ROOT } from '../helpers/standin';

const MODEL_ID = 'Xenova/all-MiniLM-L6-v2';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const FAKE: Record<string, Buffer> = {
  'config.json': Buffer.from('{ "model_type": "bert", "hidden_size": 384 }\n'),
  'tokenizer.json': Buffer.from('{ "version": "1.0", "model": { "type": "WordPiece" } }\n'),
  'tokenizer_config.json': Buffer.from('{ "do_lower_case": true }\n'),
  'onnx/model_quantized.onnx': Buffer.concat([Buffer.from('ONNX'), Buffer.alloc(300_000, 7), Buffer.from([0, 1, 2, 3])]),
};
const GOOD_PINS: ModelPins = {
  'onnx/model_quantized.onnx': { bytes: FAKE['onnx/model_quantized.onnx'].length, sha256: sha256(FAKE['onnx/model_quantized.onnx']) },
};

type Route = Buffer | { status: number } | { redirect: string } | { stall: true } | { chunks: Buffer[] };

class FakeHub {
  readonly requests: string[] = [];
  routes = new Map<string, Route>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly open = new Set<http.ServerResponse>();

  async start(): Promise<string> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${MODEL_ID}/resolve/main/`;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  serveModel(files: Record<string, Buffer> = FAKE): void {
    this.routes = new Map(Object.entries(files).map(([f, b]) => [`/${MODEL_ID}/resolve/main/${f}`, b]));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = decodeURIComponent(req.url ?? '');
    this.requests.push(url);
    const route = this.routes.get(url);
    if (!route) {
      res.writeHead(404, 'Not Found').end('Entry not found');
      return;
    }
    if (Buffer.isBuffer(route)) {
      res.writeHead(200, { 'content-length': route.length }).end(route);
      return;
    }
    if ('status' in route) {
      res.writeHead(route.status).end();
      return;
    }
    if ('redirect' in route) {
      res.writeHead(302, { location: route.redirect }).end();
      return;
    }
    if ('chunks' in route) {
      res.writeHead(200);
      for (const c of route.chunks) res.write(c);
      res.end();
      return;
    }
    this.open.add(res);
    res.writeHead(200, { 'content-length': 1000 });
    res.write(Buffer.alloc(10)); // then nothing more: a stalled transfer
  }
}

/** Every file under `dir`, relative, '/' separators (hidden staging folders included). */
function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push(`${r}/`);
        visit(r);
      } else out.push(r);
    }
  };
  visit('');
  return out.sort();
}

describe('model download (loopback server)', function () {
  this.timeout(30_000);
  const hub = new FakeHub();
  let base: string;
  let tmp: string;
  let modelsDir: string;

  before(async () => {
    base = await hub.start();
  });
  after(async () => {
    await hub.stop();
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-dl-'));
    modelsDir = path.join(tmp, 'models');
    hub.requests.length = 0;
    hub.serveModel();
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('pins the real model file from the model README', () => {
    assert.deepEqual(KNOWN_MODEL_PINS[MODEL_ID]['onnx/model_quantized.onnx'], {
      bytes: 22_972_370,
      sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1',
    });
  });

  it('takes the base URL from SEMSEARCH_MODEL_BASE_URL, else Hugging Face', () => {
    assert.equal(modelBaseUrl(MODEL_ID, {}), 'https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main/');
    assert.equal(modelBaseUrl(MODEL_ID, { SEMSEARCH_MODEL_BASE_URL: 'http://127.0.0.1:9/m' }), 'http://127.0.0.1:9/m/');
  });

  it('downloads every required file when its pin matches, and the model then loads', async () => {
    const model = await downloadModel({ modelsDir, modelId: MODEL_ID, baseUrl: base, pins: GOOD_PINS });
    assert.equal(model.dir, path.join(modelsDir, 'Xenova', 'all-MiniLM-L6-v2'));
    for (const f of REQUIRED_MODEL_FILES) assert.ok(fs.readFileSync(path.join(model.dir, f)).equals(FAKE[f]), f);
    assert.deepEqual(
      listTree(modelsDir),
      [
        'Xenova/',
        'Xenova/all-MiniLM-L6-v2/',
        'Xenova/all-MiniLM-L6-v2/config.json',
        'Xenova/all-MiniLM-L6-v2/onnx/',
        'Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx',
        'Xenova/all-MiniLM-L6-v2/tokenizer.json',
        'Xenova/all-MiniLM-L6-v2/tokenizer_config.json',
      ],
      'no temp files left',
    );
    assert.deepEqual(locateModel(modelsDir, MODEL_ID), model);
  });

  it('follows a redirect (the hub sends files from a CDN)', async () => {
    const onnx = `/${MODEL_ID}/resolve/main/onnx/model_quantized.onnx`;
    hub.routes.set('/cdn/blob-123', FAKE['onnx/model_quantized.onnx']);
    hub.routes.set(onnx, { redirect: '/cdn/blob-123' });
    const model = await downloadModel({ modelsDir, modelId: MODEL_ID, baseUrl: base, pins: GOOD_PINS });
    assert.ok(fs.readFileSync(model.onnxPath).equals(FAKE['onnx/model_quantized.onnx']));
    assert.ok(hub.requests.includes('/cdn/blob-123'));
  });

  it('a checksum mismatch throws one line naming the file, expected and actual hash, and leaves nothing behind', async () => {
    const wrong = sha256(Buffer.from('something else'));
    const pins: ModelPins = { 'onnx/model_quantized.onnx': { sha256: wrong } };
    const err = await downloadModel({ modelsDir, modelId: MODEL_ID, baseUrl: base, pins }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err instanceof ModelDownloadError, String(err));
    assert.ok(!err.message.includes('\n'));
    assert.match(err.message, /onnx\/model_quantized\.onnx/);
    assert.ok(err.message.includes(wrong), err.message);
    assert.ok(err.message.includes(sha256(FAKE['onnx/model_quantized.onnx'])), err.message);
    assert.deepEqual(listTree(modelsDir), [], 'no model folder, no temp file, not even the files that did verify');
    assert.ok(!fs.existsSync(modelsDir), 'the models folder made for this attempt is gone too');
  });

  it('with the default (real) pins, a fake model file is refused', async () => {
    await assert.rejects(
      downloadModel({ modelsDir, modelId: MODEL_ID, baseUrl: base }),
      /Checksum mismatch for onnx\/model_quantized\.onnx: expected sha256 afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1, got [0-9a-f]{64}/,
    );
    assert.deepEqual(listTree(modelsDir), []);
  });

  it('stops reading once the server sends more than the pinned size', async () => {
    const pins: ModelPins = { 'onnx/model_quantized.onnx': { bytes: 1000, sha256: GOOD_PINS['onnx/model_quantized.onnx'].sha256 } };
    await assert.rejects(
      downloadModel({ modelsDir, modelId: MODEL_ID, baseUrl: base, pins }),
      /onnx\/model_quantized\.onnx: expected 1000 bytes.*discarded/,
    );
    assert.deepEqual(listTree(modelsDir), []);
  });

  it('a 404 gives a clear error naming the file and URL, and leaves nothing behind', async () => {
    hub.routes.delete(`/${MODEL_ID}/resolve/main/tokenizer.json`);
    fs.mkdirSync(path.join(modelsDir, 'minilm-standin'), { recursive: true });
    fs.writeFileSync(path.join(modelsDir, 'minilm-standin', 'config.json'), '{}');
    const err = await downloadModel({ modelsDir, modelId: MODEL_ID, baseUrl: base, pins: GOOD_PINS }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err instanceof ModelDownloadError);
    assert.match(
      err.message,
      /^Could not download tokenizer\.json from http:\/\/127\.0\.0\.1:\d+\/Xenova\/all-MiniLM-L6-v2\/resolve\/main\/tokenizer\.json: HTTP 404 Not Found\.$/,
    );
    assert.deepEqual(listTree(modelsDir), ['minilm-standin/', 'minilm-standin/config.json'], 'what was there stays; nothing is added');
  });

  it('a refused connection gives a clear error', async () => {
    const probe = http.createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>(resolve => probe.close(() => resolve()));
    await assert.rejects(
      downloadModel({ modelsDir, modelId: MODEL_ID, baseUrl: `http://127.0.0.1:${port}/m/`, pins: GOOD_PINS }),
      /Could not download config\.json from http:\/\/127\.0\.0\.1:\d+\/m\/config\.json: ECONNREFUSED/,
    );
    assert.deepEqual(listTree(modelsDir), []);
  });

  it('abandons a stalled transfer and leaves nothing behind', async () => {
    hub.routes.set(`/${MODEL_ID}/resolve/main/onnx/model_quantized.onnx`, { stall: true });
    await assert.rejects(
      downloadModel({ modelsDir, modelId: MODEL_ID, baseUrl: base, pins: GOOD_PINS, stallTimeoutMs: 300 }),
      /onnx\/model_quantized\.onnx .*stalled: nothing arrived for 0\.3s/,
    );
    assert.deepEqual(listTree(modelsDir), []);
  });

  it('fetches only the files that are missing and keeps the ones already there', async () => {
    const dir = path.join(modelsDir, 'Xenova', 'all-MiniLM-L6-v2');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), '{ "mine": true }');
    await downloadModel({ modelsDir, modelId: MODEL_ID, baseUrl: base, pins: GOOD_PINS });
    assert.equal(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'), '{ "mine": true }');
    assert.ok(!hub.requests.some(r => r.endsWith('/config.json')));
    assert.equal(hub.requests.length, 3);
  });

  it('refuses a model it has no pins for, without a request', async () => {
    await assert.rejects(
      downloadModel({ modelsDir, modelId: 'someone/other-model', baseUrl: base }),
      /can only download Xenova\/all-MiniLM-L6-v2, not "someone\/other-model"/,
    );
    assert.equal(hub.requests.length, 0);
  });

  describe('ensureModel', () => {
    it('without permission downloads nothing and says that --allow-download fetches it once', async () => {
      const err = await ensureModel(modelsDir, MODEL_ID, false).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.ok(err instanceof ModelNotFoundError);
      assert.match(
        err.message,
        /is missing config\.json, .*onnx\/model_quantized\.onnx in .*; .*--allow-download to fetch it once from huggingface\.co/,
      );
      assert.ok(!err.message.includes('\n'));
      assert.equal(hub.requests.length, 0);
      assert.deepEqual(listTree(modelsDir), []);
    });

    it('for a model it cannot download, keeps the plain missing-model message', async () => {
      await assert.rejects(
        ensureModel(modelsDir, 'no-such-model', false),
        (e: Error) => e instanceof ModelNotFoundError && !/allow-download/.test(e.message),
      );
      await assert.rejects(
        ensureModel(modelsDir, 'no-such-model', true),
        /is missing .* semsearch can only download Xenova\/all-MiniLM-L6-v2\./,
      );
      assert.equal(hub.requests.length, 0);
    });

    it('with permission downloads from SEMSEARCH_MODEL_BASE_URL and checks the real pins', async () => {
      const saved = process.env.SEMSEARCH_MODEL_BASE_URL;
      process.env.SEMSEARCH_MODEL_BASE_URL = base;
      const lines: string[] = [];
      try {
        await assert.rejects(
          ensureModel(modelsDir, MODEL_ID, true, l => lines.push(l)),
          /Checksum mismatch for onnx\/model_quantized\.onnx/,
        );
      } finally {
        if (saved === undefined) delete process.env.SEMSEARCH_MODEL_BASE_URL;
        else process.env.SEMSEARCH_MODEL_BASE_URL = saved;
      }
      assert.equal(hub.requests.length, 4);
      assert.match(lines[0], /downloading model Xenova\/all-MiniLM-L6-v2 from http:\/\/127\.0\.0\.1/);
      assert.deepEqual(listTree(modelsDir), []);
    });
  });

  describe('CLI --allow-download', () => {
    const cli = (args: string[], env: Record<string, string>) =>
      new Promise<{ code: number; stdout: string; stderr: string }>(resolve => {
        execFile(
          process.execPath,
          [path.join(PROJECT_ROOT, 'dist', 'cli.js'), ...args],
          { env: { ...process.env, ...env }, timeout: 30_000 },
          (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
        );
      });

    it('without the flag: one line saying what is missing and that --allow-download fetches it; nothing is fetched', async () => {
      const env = { SEMSEARCH_MODEL_DIR: modelsDir, SEMSEARCH_MODEL: MODEL_ID, SEMSEARCH_MODEL_BASE_URL: base };
      const r = await cli(['search', 'cache', '--store', path.join(tmp, 'store')], env);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^semsearch: Model "Xenova\/all-MiniLM-L6-v2" is missing .*--allow-download to fetch it once/);
      assert.equal(hub.requests.length, 0);
    });

    it('with the flag: downloads, refuses the fake model by its checksum in one line, and leaves nothing behind', async () => {
      const env = { SEMSEARCH_MODEL_DIR: modelsDir, SEMSEARCH_MODEL: MODEL_ID, SEMSEARCH_MODEL_BASE_URL: base };
      const r = await cli(['index', tmp, '--store', path.join(tmp, 'store'), '--allow-download'], env);
      assert.equal(r.code, 1);
      const lines = r.stderr.trimEnd().split('\n');
      assert.match(
        lines[lines.length - 1],
        /^semsearch: Checksum mismatch for onnx\/model_quantized\.onnx: expected sha256 afdb6f1a.*, got [0-9a-f]{64}/,
      );
      assert.doesNotMatch(r.stderr, /^\s+at /m);
      assert.equal(hub.requests.length, 4);
      assert.deepEqual(listTree(modelsDir), []);
    });
  });
});
