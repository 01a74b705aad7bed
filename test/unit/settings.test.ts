// The settings table (common/settings.ts) and what is derived from it on the server: the checks of what the
// client sends, and what a change needs.

import * as assert from 'node:assert/strict';
import { DEFAULT_MODEL_ID, DEFAULT_SETTINGS, SETTING_NAMES, SETTINGS } from '../../common/settings';
import { resolveSettings, settingsChange } from '../../server/src/workspace/settingsResolver';

describe('settings', () => {
  let savedModel: string | undefined;
  before(() => { savedModel = process.env.SEMSEARCH_MODEL; delete process.env.SEMSEARCH_MODEL; });
  after(() => { if (savedModel !== undefined) process.env.SEMSEARCH_MODEL = savedModel; });

  it('DEFAULT_SETTINGS holds every setting of the table with its default', () => {
    assert.deepEqual(Object.keys(DEFAULT_SETTINGS), SETTING_NAMES);
    assert.equal(DEFAULT_SETTINGS.modelId, DEFAULT_MODEL_ID);
    assert.equal(DEFAULT_SETTINGS.batchSize, 8);
    assert.deepEqual(DEFAULT_SETTINGS.excludeGlobs, []);
    assert.notEqual(DEFAULT_SETTINGS.excludeGlobs, SETTINGS.excludeGlobs.default, 'a copy, not the table\'s own list');
  });

  it('takes values in bounds, and reports each wrong one in one line and keeps the default', () => {
    const { settings, warnings } = resolveSettings({
      batchSize: 16, poolSize: 65, workerMemoryLimitMB: 64, maxFileBytes: 1023, excludeGlobs: ['gen/**'],
      modelId: '', maxChunkTokens: 12.5, cacheMB: '64', searchMode: 'fuzzy',
    });
    assert.equal(settings.batchSize, 16);
    assert.equal(settings.workerMemoryLimitMB, 64);
    assert.deepEqual(settings.excludeGlobs, ['gen/**']);
    assert.deepEqual(warnings, [
      'Setting poolSize must be a whole number from 0 to 64; got 65. Using 0.',
      'Setting maxFileBytes must be a whole number of at least 1024; got 1023. Using 1048576.',
      `Setting modelId must be a non-empty string; got "". Using "${DEFAULT_MODEL_ID}".`,
      'Setting maxChunkTokens must be a whole number from 32 to 512; got 12.5. Using 256.',
      'Setting cacheMB must be a whole number of at least 0; got "64". Using 64.',
      'Setting searchMode must be one of hybrid, lexical, semantic; got "fuzzy". Using "hybrid".',
    ]);
    assert.deepEqual(resolveSettings({ excludeGlobs: ['a', 3] }).warnings, ['Setting excludeGlobs must be a list of strings; got ["a",3]. Using [].']);
  });

  it('a later source wins; a value equal to the default does not override the environment\'s model', () => {
    assert.equal(resolveSettings({ batchSize: 4 }, { batchSize: 32 }).settings.batchSize, 32);
    process.env.SEMSEARCH_MODEL = 'minilm-standin';
    try {
      assert.equal(resolveSettings({ modelId: DEFAULT_MODEL_ID }).settings.modelId, 'minilm-standin');
    } finally {
      delete process.env.SEMSEARCH_MODEL;
    }
  });

  it('what a change needs comes from each setting\'s effect', () => {
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
    for (const patch of [{ maxChunkTokens: 128 }, { maxChunksPerFile: 5 }, { maxFileBytes: 2048 }, { excludeGlobs: ['x'] }]) {
      assert.deepEqual(change(patch), { ...none, reindex: true }, JSON.stringify(patch));
    }
    assert.deepEqual(change({ modelId: 'other' }), { model: true, restartPool: true, reindex: true });
    assert.deepEqual(change({ modelsDir: '/models' }), { model: true, restartPool: true, reindex: true });
    assert.deepEqual(settingsChange(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, batchSize: 1, poolSize: 1 }).keys, ['batchSize', 'poolSize']);
  });
});
