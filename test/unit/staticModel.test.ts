import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EmbeddingBackend } from '../../server/src/engine/embedder/backend';
import { openBackend } from '../../server/src/engine/embedder/openBackend';
import { StaticBackend } from '../../server/src/engine/embedder/staticBackend';
import { CodeWordPiece } from '../../server/src/engine/model/codeWordPiece';
import { ModelDamagedError } from '../../server/src/engine/model/modelFiles';
import { StaticModel } from '../../server/src/engine/model/staticModel';
import { DEFAULT_MODEL_ID } from '../../common/settings';
import { standinModelsDir } from '../helpers/standin';
import { FIXTURE_VOCAB, writeStaticModel } from '../helpers/staticModelFixture';

const id = (t: string) => FIXTURE_VOCAB.indexOf(t);

describe('code WordPiece tokenizer', () => {
  const tok = CodeWordPiece.fromVocabText(FIXTURE_VOCAB.join('\n'));
  const words = (line: string) => [...tok.encodeLine(line)].map(i => FIXTURE_VOCAB[i]);

  it('splits identifiers into their words before cutting sub-words', () => {
    assert.deepEqual(words('getUserNames()'), ['get', 'user', 'name', '##s', '(', ')']);
    assert.deepEqual(words('get_user_name'), ['get', 'user', 'name']);
    assert.deepEqual(words('GET_USER'), ['get', 'user']);
  });

  it('gives a word with no cover one [UNK], and drops accents the way uncased BERT does', () => {
    assert.deepEqual(words('parse zzz'), ['parse', '[UNK]']);
    assert.deepEqual(words('Usér'), ['user']);
  });

  it('gives the same ids the second time (the memo) and nothing for blank lines', () => {
    assert.deepEqual([...tok.encodeLine('getUser getUser')], [id('get'), id('user'), id('get'), id('user')]);
    assert.equal(tok.encodeLine('   ').length, 0);
  });

  it('cuts real identifiers with the real vocabulary into words a query shares', () => {
    const real = CodeWordPiece.fromVocabText(fs.readFileSync(path.join(standinModelsDir(), 'minilm-standin', 'vocab.txt'), 'utf8'));
    const query = new Set(real.encodeLine('user name'));
    const code = [...real.encodeLine('function getUserName(req) {')];
    assert.ok(
      [...query].every(q => code.includes(q)),
      'every query token is among the code tokens',
    );
    assert.equal(real.clsId, 101);
  });
});

describe('static model', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'static-model-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Two dimensions; every token but get/user/name has no weight.
  const rows = FIXTURE_VOCAB.map(t => (t === 'get' ? [100, 0] : t === 'user' ? [0, 50] : t === 'name' ? [127, 127] : [1, 1]));
  const scales = FIXTURE_VOCAB.map(t => (t === 'get' ? 0.01 : t === 'user' ? 0.02 : t === 'name' ? 0 : 0));

  it('sums the scaled rows of every token occurrence and normalises', () => {
    const m = StaticModel.load(writeStaticModel(path.join(dir, 'm'), rows, scales));
    const v = m.embed(Int32Array.from([id('[CLS]'), id('get'), id('user'), id('get'), id('[SEP]')]));
    // 2 x (1, 0) + (0, 1) = (2, 1), normalised.
    assert.ok(Math.abs(v[0] - 2 / Math.sqrt(5)) < 1e-6 && Math.abs(v[1] - 1 / Math.sqrt(5)) < 1e-6, `got ${[...v]}`);
  });

  it('gives a text with no weighted token the same unit vector', () => {
    const m = StaticModel.load(writeStaticModel(path.join(dir, 'm'), rows, scales));
    const v = m.embed(Int32Array.from([id('[CLS]'), id('name'), id('[SEP]')]));
    assert.deepEqual(
      [...v].map(x => x.toFixed(4)),
      ['0.7071', '0.7071'],
    );
  });

  it('names the damaged file in one line: truncated rows, a changed byte, a bad manifest', () => {
    const m = writeStaticModel(path.join(dir, 'm'), rows, scales);
    fs.truncateSync(path.join(m, 'vectors.i8'), 5);
    assert.throws(
      () => StaticModel.load(m),
      (e: Error) => e instanceof ModelDamagedError && /vectors\.i8 of 5 bytes instead of 24/.test(e.message) && !e.message.includes('\n'),
    );
    const m2 = writeStaticModel(path.join(dir, 'm2'), rows, scales);
    const bytes = fs.readFileSync(path.join(m2, 'scales.f32'));
    bytes[0] ^= 1;
    fs.writeFileSync(path.join(m2, 'scales.f32'), bytes);
    assert.throws(() => StaticModel.load(m2), /scales\.f32 whose checksum does not match model\.json; put the model's files there again/);
    fs.writeFileSync(path.join(m2, 'model.json'), '{"format": "semsearch-static", "vers');
    assert.throws(() => StaticModel.load(m2), /model\.json that cannot be read/);
  });

  it('is chosen by its model.json, runs in this process and embeds ids through the backend seam', async () => {
    writeStaticModel(path.join(dir, 'tiny'), rows, scales);
    const backend: EmbeddingBackend = await openBackend(
      { modelId: 'tiny', modelsDir: dir },
      { workerScript: 'unused', batchTimeoutMs: 1000 },
    );
    assert.ok(backend instanceof StaticBackend);
    assert.equal(backend.dims, 2);
    assert.match(backend.modelId, /^tiny@[0-9a-f]{8}$/);
    const { embedder } = await backend.start(0, 0);
    const [v] = await embedder.embed([{ ids: Int32Array.from([id('user')]), text: 'user' }]);
    assert.deepEqual([...v], [0, 1]);
    assert.deepEqual(backend.workerPids(), []);
  });

  it('prefers a static model of the same id in the models folder to the built-in one, and tells them apart', async () => {
    writeStaticModel(path.join(dir, DEFAULT_MODEL_ID), rows, scales);
    const pool = { workerScript: 'unused', batchTimeoutMs: 1000 };
    const mine = await openBackend({ modelId: DEFAULT_MODEL_ID, modelsDir: dir }, pool);
    const builtIn = await openBackend({ modelId: DEFAULT_MODEL_ID, modelsDir: path.join(dir, 'empty') }, pool);
    assert.equal(mine.dims, 2);
    assert.ok(builtIn.dims > 2, 'the built-in model comes from models/ in the package');
    assert.notEqual(mine.modelId, builtIn.modelId, 'two models of one name never share stores or cached vectors');
  });
});
