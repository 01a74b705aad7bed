// The house rules npm run lint enforces, run with the project's own eslint.config.mjs and .prettierrc.json:
// the engine is reached only through its front door, and code is formatted.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { PROJECT_ROOT } from '../helpers/standin';

describe('lint rules', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: PROJECT_ROOT });

  async function restrictedImports(code: string, file: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT_ROOT, file) });
    return result.messages.filter(m => m.ruleId === 'no-restricted-imports').map(m => m.message);
  }

  it("fails an import of the engine's insides from each door (workspace, cli, server, mcp, serve), naming the front door", async () => {
    for (const [file, spec] of [
      ['server/src/workspace/example.ts', '../engine/chunker/chunker'],
      ['server/src/workspace/example.ts', '../engine/engine'],
      ['server/src/cli/example.ts', '../engine/store/storeLock'],
      ['server/src/server.ts', './engine/search/query'],
      ['server/src/mcp/example.ts', '../engine/scanner/insideFolder'],
      ['server/src/serve/example.ts', '../engine/embedder/backend'],
    ]) {
      const messages = await restrictedImports(`import { x } from '${spec}';\nexport const y = x;\n`, file);
      assert.equal(messages.length, 1, `${file} importing ${spec}: ${messages.join('; ')}`);
      assert.match(messages[0], /front door, server\/src\/engine/);
    }
  });

  it('lets the doors import the front door, and the engine import its own modules', async () => {
    assert.deepEqual(
      await restrictedImports("import { FanOut } from '../engine';\nexport const y = FanOut;\n", 'server/src/workspace/example.ts'),
      [],
    );
    assert.deepEqual(
      await restrictedImports(
        "import { Chunker } from '../chunker/chunker';\nexport const y = Chunker;\n",
        'server/src/engine/search/example.ts',
      ),
      [],
    );
  });

  it('fails unformatted code and passes it once prettier has formatted it', async () => {
    const file = path.join(PROJECT_ROOT, 'server/src/workspace/example.ts');
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    const messy = 'export function f(a:number,b:number){ if(a>b) return a; return b }\n';
    assert.equal(await prettier.check(messy, options), false);
    assert.equal(await prettier.check(await prettier.format(messy, options), options), true);
    const lint = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts.lint;
    assert.match(lint, /^eslint \. && prettier --check /);
  });
});
