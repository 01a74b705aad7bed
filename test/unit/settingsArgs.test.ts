// The user's settings as `semsearch` flags (common/settingsArgs.ts), as the extension starts `semsearch mcp`:
// read back by the real command line, they are the same settings; defaults give no flag.

import * as assert from 'node:assert/strict';
import { settingsAsFlags } from '../../common/settingsArgs';
import { DEFAULT_SETTINGS, type EngineSettings, SETTING_NAMES, settingSpec } from '../../common/settings';
import type { CommandOptions } from '../../server/src/cli/ownOptions';
import { declareProgram } from '../../server/src/cli/program';
import { settingsFromOptions } from '../../server/src/cli/settingOptions';

async function parsedByMcp(args: string[]): Promise<{ folders: string[]; settings: EngineSettings }> {
  let got: { folders: string[]; settings: EngineSettings } | undefined;
  const none = () => Promise.resolve(0);
  const { program } = declareProgram({
    index: none,
    search: none,
    files: none,
    serve: none,
    mcp: (folders: string[], opts: CommandOptions) => {
      got = { folders, settings: settingsFromOptions('mcp', opts, { ...DEFAULT_SETTINGS }) };
      return Promise.resolve(0);
    },
  });
  await program.parseAsync(['mcp', ...args], { from: 'user' });
  return got!;
}

describe('settings as command-line flags', () => {
  it('gives no flag for the defaults', () => {
    assert.deepEqual(settingsAsFlags({ ...DEFAULT_SETTINGS }), []);
  });

  it('gives flags that the mcp command reads back as the same settings', async () => {
    const user: EngineSettings = {
      ...DEFAULT_SETTINGS,
      modelId: 'Xenova/all-MiniLM-L6-v2',
      modelsDir: '/opt/models',
      excludeGlobs: ['fixtures/**', '*.min.js'],
      indexDataFiles: true,
      maxChunkTokens: 128,
      maxChunksPerFile: 50,
      searchMode: 'lexical',
      embeddingEndpoint: 'http://gpu:8484/v1',
    };
    const flags = settingsAsFlags(user);
    const { folders, settings } = await parsedByMcp([...flags, '--', '/repo', '-odd-name']);
    assert.deepEqual(folders, ['/repo', '-odd-name']);
    assert.deepEqual(settings, user);
  });

  it('can say every setting that changes the index: each has a flag, and every switch is off by default', () => {
    for (const name of SETTING_NAMES) {
      const spec = settingSpec(name);
      if (spec.effect === 'reindex' || spec.effect === 'reloadModel') assert.ok(spec.cli, `${name} has no command-line flag`);
      if (spec.type === 'boolean') assert.equal(spec.default, false, `${name}: a switch can only turn a setting on`);
    }
  });
});
