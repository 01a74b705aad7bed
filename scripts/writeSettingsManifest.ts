// `npm run settings:manifest`: rewrites package.json's contributes.configuration from SETTINGS
// (common/settings.ts) and contributes.languageModelTools from the agent tools' schemas
// (server/src/mcp/toolSchemas.ts), leaving the rest of package.json as it is. Bundled to dist/settingsManifest.js
// (esbuild.mjs); it lives outside common/ because common/ imports no node modules.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { configurationManifest } from '../common/settingsManifest';
import { languageModelToolsManifest } from '../server/src/mcp/toolSchemas';

// The bundle runs from dist/, beside package.json's folder.
const file = path.join(__dirname, '..', 'package.json');
const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { contributes: { configuration: unknown; languageModelTools: unknown } };
pkg.contributes.configuration = configurationManifest();
pkg.contributes.languageModelTools = languageModelToolsManifest();
fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
process.stdout.write(`Wrote contributes.configuration and contributes.languageModelTools in ${file}.\n`);
