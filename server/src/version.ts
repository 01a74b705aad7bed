// The version the CLI and the MCP server report: package.json's, inlined by the bundler (only this field), so dist/cli.js
// needs no package.json beside it.

import { version } from '../../package.json';

export const VERSION: string = version;
