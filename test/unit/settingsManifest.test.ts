// package.json's contributes.configuration is generated from SETTINGS (common/settings.ts); this fails when
// the two drift apart, naming the settings that differ.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { configurationManifest } from '../../common/settingsManifest';
import { languageModelToolsManifest } from '../../server/src/mcp/toolSchemas';
import { PROJECT_ROOT } from '../helpers/standin';

describe('package.json settings', () => {
  it('contributes.configuration is what SETTINGS in common/settings.ts generates', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: ReturnType<typeof configurationManifest> };
    };
    const got = pkg.contributes.configuration;
    const want = configurationManifest();
    const fix = 'run `npm run settings:manifest` to regenerate it from common/settings.ts';
    const names = [...new Set([...Object.keys(got.properties ?? {}), ...Object.keys(want.properties)])];
    const differ = names.filter(n => !isDeepStrictEqual(got.properties?.[n], want.properties[n]));
    assert.deepEqual(differ, [], `package.json's contributes.configuration differs from SETTINGS for ${differ.join(', ')}; ${fix}.`);
    assert.deepStrictEqual(got, want, `package.json's contributes.configuration differs from SETTINGS; ${fix}.`);
  });

  it("contributes.languageModelTools is the MCP server's search_code, as server/src/mcp/toolSchemas.ts declares it", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      contributes: { languageModelTools: unknown };
    };
    assert.deepStrictEqual(
      pkg.contributes.languageModelTools,
      languageModelToolsManifest(),
      "package.json's contributes.languageModelTools differs from toolSchemas.ts; run `npm run settings:manifest` to regenerate it.",
    );
  });
});
