// `semsearch mcp` driven by the MCP SDK's own client over stdio, as an agent runs it: a real fixture
// workspace, the built-in model, the default store location (under a test cache folder). The tools are listed
// and called, bad arguments answer one line, an edit made while the server runs is found (and saved, so
// another reader of the store sees it), and a second server on the same folder reads the first one's index.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { makeWorkspace, tempDir, writeFile } from '../lsp/lspFixture';
import { PROJECT_ROOT } from '../helpers/standin';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: unknown;
}
interface Hit {
  path: string;
  startLine: number;
  endLine: number;
  symbol: string;
  why: string;
  snippet: string;
}

/** One `semsearch mcp` process and its client; stderr kept, so a test can wait on what the server logs. */
class McpSession {
  private stderr = '';
  private readonly waiters: (() => void)[] = [];

  private constructor(
    readonly client: Client,
    transport: StdioClientTransport,
  ) {
    transport.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async start(folder: string, env: Record<string, string>): Promise<McpSession> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', folder],
      stderr: 'pipe',
      env: { ...(process.env as Record<string, string>), ...env },
    });
    const client = new Client({ name: 'semsearch-test', version: '1.0.0' });
    const session = new McpSession(client, transport);
    await client.connect(transport);
    return session;
  }

  async call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    return (await this.client.callTool({ name, arguments: args })) as ToolResult;
  }

  async hits(args: Record<string, unknown>, tool = 'search_code'): Promise<Hit[]> {
    const r = await this.call(tool, args);
    assert.ok(!r.isError, `${tool} failed: ${r.content[0]?.text}`);
    return (r.structuredContent as { results: Hit[] }).results;
  }

  /** Resolves once stderr (from `from` on) matches; fails after `ms` with what it said. */
  async logged(pattern: RegExp, what: string, from = 0, ms = 30_000): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(this.stderr.slice(from));
      if (m) return from + m.index + m[0].length;
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`timed out waiting for ${what}; stderr:\n${this.stderr.slice(-2000)}`);
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  get logLength(): number {
    return this.stderr.length;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

describe('MCP server (semsearch mcp) through the SDK client over stdio', function () {
  this.timeout(120_000);
  let ws: string;
  let cache: string;
  let models: string;
  let env: Record<string, string>;
  let mcp: McpSession;

  before(async () => {
    [ws, cache, models] = [tempDir('semsearch-mcp-ws-'), tempDir('semsearch-mcp-cache-'), tempDir('semsearch-mcp-models-')];
    makeWorkspace(ws, false);
    // The built-in model, the default store location (below this cache), nothing configured.
    env = { SEMSEARCH_CACHE_DIR: cache, SEMSEARCH_MODEL: '', SEMSEARCH_MODEL_DIR: models };
    mcp = await McpSession.start(ws, env);
    await mcp.logged(/Indexed [^:]+: \d+ files/, 'the first run');
    await mcp.logged(/Watching .* for changes/, 'the watcher');
  });

  after(async () => {
    await mcp?.close();
    for (const dir of [ws, cache, models]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists its three tools, each described for an agent and with an input schema', async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map(t => t.name).sort(), ['find_similar', 'index_status', 'search_code']);
    const search = tools.find(t => t.name === 'search_code')!;
    assert.match(search.description ?? '', /instead of grep/);
    assert.deepEqual(Object.keys((search.inputSchema as { properties: object }).properties).sort(), [
      'folder',
      'k',
      'mode',
      'path',
      'query',
    ]);
  });

  it('index_status says what is indexed, with which model, in the default store', async () => {
    const r = await mcp.call('index_status', {});
    assert.ok(!r.isError, r.content[0]?.text);
    const s = r.structuredContent as {
      state: string;
      model: { id: string; runsHere: boolean };
      folders: { name: string; files: { indexed: number; skipped: Record<string, number> }; chunks: number }[];
    };
    assert.equal(s.state, 'idle');
    assert.match(s.model.id, /^semsearch-code-v1@/);
    assert.equal(s.folders.length, 1);
    assert.ok(s.folders[0].files.indexed >= 9 && s.folders[0].chunks > 0, JSON.stringify(s.folders[0]));
    assert.ok((s.folders[0].files.skipped['excluded-folder'] ?? 0) >= 1, 'node_modules/ and dist/ are skipped');
    const stores = fs.readdirSync(path.join(cache, 'semsearch', 'stores'));
    assert.equal(stores.length, 1);
    assert.match(stores[0], new RegExp(`^${path.basename(ws)}-[0-9a-f]{16}$`));
  });

  it("an agent's five questions each find the function that answers them first", async () => {
    const questions: [string, string][] = [
      ['circular queue of bytes', 'src/ringbuf.c'],
      ['items running out in the warehouse', 'src/inventory.py'],
      ['key value cache whose entries expire', 'src/server.go'],
      ['swap the rows and columns of a matrix', 'src/matrix.cpp'],
      ['look up a book by its title', 'src/Library.java'],
    ];
    for (const [query, file] of questions) {
      const [top] = await mcp.hits({ query, k: 5 });
      assert.equal(top?.path, file, `"${query}" -> ${top?.path}:${top?.startLine}`);
    }
  });

  it('answers in text an agent reads: where, what, why, and the code', async () => {
    const r = await mcp.call('search_code', { query: 'rb_push', k: 3 });
    const text = r.content[0].text!;
    assert.match(
      text,
      /^1\. src\/ringbuf\.c:\d+-\d+ rb_push \(function\) score \d+\.\d{3}; words #1 \(rb_push, push, rb\); meaning #\d; defines\n/,
    );
    assert.match(text, /\n {4}.*rb_push/);
  });

  it('filters by a path glob and a mode', async () => {
    const hits = await mcp.hits({ query: 'area of a shape', k: 10, path: '*.rs', mode: 'semantic' });
    assert.ok(hits.length > 0 && hits.every(h => h.path.endsWith('.rs')), JSON.stringify(hits.map(h => h.path)));
    assert.ok(
      hits.every(h => /^meaning #\d/.test(h.why) && !/words #/.test(h.why)),
      `semantic mode, nothing matched by words: ${hits.map(h => h.why).join(' | ')}`,
    );
  });

  it('find_similar finds code like the given lines and leaves those lines out', async () => {
    const source = fs.readFileSync(path.join(ws, 'src', 'ringbuf.c'), 'utf8').split('\n');
    const start = source.findIndex(l => l.startsWith('rb_status rb_push')) + 1;
    const hits = await mcp.hits({ path: 'src/ringbuf.c', startLine: start, endLine: start + 8, k: 5 }, 'find_similar');
    assert.ok(hits.length > 0);
    assert.ok(
      hits.every(h => h.path !== 'src/ringbuf.c' || h.endLine < start || h.startLine > start + 8),
      JSON.stringify(hits.map(h => `${h.path}:${h.startLine}`)),
    );
  });

  it('bad arguments get a one-line tool error, and the server goes on', async () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['search_code', { query: '   ' }, /query is empty/],
      ['search_code', { query: 'x', k: 0 }, /k: Too small: expected number to be >=1/],
      ['search_code', { query: 'x', k: 51 }, /k: Too big: expected number to be <=50/],
      ['search_code', { query: 'x', path: '../etc/*' }, /cannot leave it/],
      ['search_code', { query: 'x', folder: 'nowhere' }, /not a folder this server serves/],
      ['find_similar', { path: '../outside.c', startLine: 1 }, /not a file inside/],
      ['find_similar', { path: 'src/ringbuf.c', startLine: 5, endLine: 2 }, /endLine >= startLine/],
      ['find_similar', { path: 'src/missing.c', startLine: 1 }, /cannot be read/],
    ];
    for (const [tool, args, pattern] of bad) {
      const r = await mcp.call(tool, args);
      assert.equal(r.isError, true, `${tool} ${JSON.stringify(args)} should fail`);
      const text = r.content[0].text!;
      assert.match(text, pattern);
      assert.ok(!text.includes('\n'), `one line: ${JSON.stringify(text)}`);
    }
    const wrongType = await mcp.call('search_code', { query: 42 });
    assert.equal(wrongType.isError, true, 'a query that is not a string');
    assert.ok((await mcp.hits({ query: 'rb_push', k: 1 })).length === 1, 'still answering');
  });

  it('finds an edit made while it runs, and saves it so another reader sees it', async () => {
    const from = mcp.logLength;
    writeFile(
      ws,
      'src/added/tides.py',
      [
        'def tide_height_at(hour: float, amplitude: float, period_hours: float = 12.42) -> float:',
        '    """The sea level above the mean at a given hour of the day, for a semidiurnal tide."""',
        '    import math',
        '    return amplitude * math.cos(2 * math.pi * hour / period_hours)',
        '',
      ].join('\n'),
    );
    const followed = await mcp.logged(/Followed \d+ changed path\(s\)/, 'the edit followed', from);
    const [top] = await mcp.hits({ query: 'tide_height_at', k: 3 });
    assert.equal(top?.path, 'src/added/tides.py');
    await mcp.logged(/Saved the index of /, 'the followed edit saved', followed);

    // A second server on the same folder cannot take the store's lock: it reads the saved index, edit included.
    const reader = await McpSession.start(ws, env);
    try {
      await reader.logged(/is indexing .*searching its saved index/, 'the reader to find the lock held');
      await reader.logged(/Model .* loaded from/, "the reader's model");
      const r = await reader.call('index_status', {});
      const s = r.structuredContent as { folders: { readOnlyBecause?: string }[] };
      assert.match(s.folders[0].readOnlyBecause ?? '', /another semsearch process \(pid \d+/);
      const [seen] = await reader.hits({ query: 'tide_height_at', k: 3 });
      assert.equal(seen?.path, 'src/added/tides.py', 'the edit reached the saved index');
    } finally {
      await reader.close();
    }
  });
});
