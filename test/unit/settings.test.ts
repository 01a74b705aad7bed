// The settings table (common/settings.ts) and what is derived from it on the server: the checks of what the
// client sends, and what a change needs.

import * as assert from 'node:assert/strict';
import {
  DEFAULT_MODEL_ID,
  DEFAULT_SETTINGS,
  isValidSetting,
  SETTING_NAMES,
  settingFromText,
  SETTINGS,
  settingSpec,
} from '../../common/settings';
import { maxFileBytes, walkOptions } from '../../server/src/engine/scanner/scanOptions';
import { resolveSettings, settingsChange } from '../../server/src/workspace/settingsResolver';

describe('settings', () => {
  let savedModel: string | undefined;
  before(() => {
    savedModel = process.env.SEMSEARCH_MODEL;
    delete process.env.SEMSEARCH_MODEL;
  });
  after(() => {
    if (savedModel !== undefined) process.env.SEMSEARCH_MODEL = savedModel;
  });

  it('DEFAULT_SETTINGS holds every setting of the table with its default', () => {
    assert.deepEqual(Object.keys(DEFAULT_SETTINGS), SETTING_NAMES);
    assert.equal(DEFAULT_SETTINGS.modelId, DEFAULT_MODEL_ID);
    assert.equal(DEFAULT_SETTINGS.batchSize, 8);
    assert.deepEqual(DEFAULT_SETTINGS.excludeGlobs, []);
    assert.notEqual(DEFAULT_SETTINGS.excludeGlobs, SETTINGS.excludeGlobs.default, "a copy, not the table's own list");
  });

  it('is ordered by what a user changes first: the model, what to leave out, limits, search, then performance', () => {
    assert.deepEqual(SETTING_NAMES, [
      'modelId',
      'modelsDir',
      'embeddingEndpoint',
      'embeddingModel',
      'excludeGlobs',
      'indexDataFiles',
      'maxFileSizeMB',
      'maxChunksPerFile',
      'maxChunkTokens',
      'searchMode',
      'batchSize',
      'poolSize',
      'workerMemoryLimitMB',
      'cacheMB',
      'embeddingBatchSize',
      'embeddingBatchTokens',
      'embeddingRequests',
      'embeddingTimeoutSeconds',
    ]);
  });

  it('turns the size cap from MB into bytes in one place, decimals included', () => {
    assert.equal(maxFileBytes(DEFAULT_SETTINGS), 1024 * 1024);
    assert.equal(maxFileBytes({ maxFileSizeMB: 0.5 }), 512 * 1024);
    assert.deepEqual(walkOptions({ ...DEFAULT_SETTINGS, maxFileSizeMB: 2.5, indexDataFiles: true, excludeGlobs: ['x/'] }), {
      excludeGlobs: ['x/'],
      maxFileBytes: 2.5 * 1024 * 1024,
      indexDataFiles: true,
    });
  });

  it("reads command-line text as each type's value, for isValidSetting to check", () => {
    const size = settingSpec('maxFileSizeMB');
    assert.equal(settingFromText(size, '0.5'), 0.5);
    assert.ok(Number.isNaN(settingFromText(size, '')));
    assert.equal(isValidSetting(size, settingFromText(size, 'big')), false);
    const data = settingSpec('indexDataFiles');
    assert.equal(settingFromText(data, 'true'), true);
    assert.equal(settingFromText(data, 'false'), false);
    assert.equal(isValidSetting(data, settingFromText(data, 'yes')), false);
    assert.equal(settingFromText(settingSpec('batchSize'), '16'), 16);
    // Decimal digits only: Number() would read these as 16, 10, 8 and 7.
    for (const text of ['0x10', '1e1', '0b1000', '0o7', 'Infinity'])
      assert.ok(Number.isNaN(settingFromText(settingSpec('batchSize'), text)), text);
    assert.equal(settingFromText(size, '.5'), 0.5);
    assert.equal(settingFromText(settingSpec('modelId'), 'x'), 'x');
  });

  it('takes values in bounds, and reports each wrong one in one line and keeps the default', () => {
    const { settings, warnings } = resolveSettings({
      batchSize: 16,
      poolSize: 65,
      workerMemoryLimitMB: 64,
      maxFileSizeMB: 0.005,
      excludeGlobs: ['gen/**'],
      modelId: '',
      maxChunkTokens: 12.5,
      cacheMB: '64',
      searchMode: 'fuzzy',
      indexDataFiles: 'yes',
    });
    assert.equal(settings.batchSize, 16);
    assert.equal(settings.workerMemoryLimitMB, 64);
    assert.deepEqual(settings.excludeGlobs, ['gen/**']);
    // In the table's order.
    assert.deepEqual(warnings, [
      `Setting modelId must be a non-empty string; got "". Using "${DEFAULT_MODEL_ID}".`,
      'Setting indexDataFiles must be true or false; got "yes". Using false.',
      'Setting maxFileSizeMB must be a number from 0.01 to 256; got 0.005. Using 1.',
      'Setting maxChunkTokens must be a whole number from 32 to 512; got 12.5. Using 256.',
      'Setting searchMode must be one of hybrid, lexical, semantic; got "fuzzy". Using "hybrid".',
      'Setting poolSize must be a whole number from 0 to 64; got 65. Using 0.',
      'Setting cacheMB must be a whole number of at least 0; got "64". Using 64.',
    ]);
    assert.deepEqual(resolveSettings({ maxFileSizeMB: 0.5, indexDataFiles: true }).warnings, [], 'a size in MB may have decimals');
    assert.deepEqual(resolveSettings({ excludeGlobs: ['a', 3] }).warnings, [
      'Setting excludeGlobs must be a list of strings; got ["a",3]. Using [].',
    ]);
  });

  it("a later source wins; a value equal to the default does not override the environment's model", () => {
    assert.equal(resolveSettings({ batchSize: 4 }, { batchSize: 32 }).settings.batchSize, 32);
    process.env.SEMSEARCH_MODEL = 'minilm-standin';
    try {
      assert.equal(resolveSettings({ modelId: DEFAULT_MODEL_ID }).settings.modelId, 'minilm-standin');
    } finally {
      delete process.env.SEMSEARCH_MODEL;
    }
  });

  it("what a change needs comes from each setting's effect", () => {
    const change = (patch: Partial<typeof DEFAULT_SETTINGS>) => {
      const c = settingsChange(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, ...patch });
      return { model: c.model, restartPool: c.restartPool, reindex: c.reindex };
    };
    const none = { model: false, restartPool: false, reindex: false };
    assert.deepEqual(change({ batchSize: 1 }), none);
    assert.deepEqual(change({ searchMode: 'lexical' }), none);
    assert.deepEqual(change({ cacheMB: 1 }), none);
    assert.deepEqual(change({ poolSize: 2 }), { ...none, restartPool: true });
    assert.deepEqual(change({ workerMemoryLimitMB: 512 }), { ...none, restartPool: true });
    for (const patch of [
      { maxChunkTokens: 128 },
      { maxChunksPerFile: 5 },
      { maxFileSizeMB: 0.5 },
      { indexDataFiles: true },
      { excludeGlobs: ['x'] },
    ]) {
      assert.deepEqual(change(patch), { ...none, reindex: true }, JSON.stringify(patch));
    }
    assert.deepEqual(change({ modelId: 'other' }), { model: true, restartPool: true, reindex: true });
    assert.deepEqual(change({ modelsDir: '/models' }), { model: true, restartPool: true, reindex: true });
    assert.deepEqual(settingsChange(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, batchSize: 1, poolSize: 1 }).keys, ['batchSize', 'poolSize']);
  });
});
