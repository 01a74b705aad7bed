// Chunk boundaries on real third-party files: every chunk fits, matches its lines, and together they cover
// every line with content.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Chunker } from '../../server/src/engine/chunker/chunker';
import type { ModelTokenizer } from '../../server/src/engine/model/tokenizer';
import { PROJECT_ROOT } from '../helpers/standin';
import { assertInvariants, NODE_MODULES, setup } from './chunkerTestUtil';

const UNCAPPED = 1_000_000;

/** Published files of the languages no dependency ships; test/fixtures/realFiles/SOURCES.md says where each is from. */
const REAL_FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'realFiles');

/** Paths are under node_modules, or under REAL_FIXTURES when they start with "realFiles/". */
const REAL_FILES: { file: string; language: string; symbols: string[]; overlap?: boolean }[] = [
  {
    file: '@xenova/transformers/src/tokenizers.js',
    language: 'javascript',
    symbols: ['BPE.bpe', 'WordPieceTokenizer.encode', 'loadTokenizer'],
  },
  { file: 'typescript/lib/typescript.d.ts', language: 'typescript', symbols: ['ts.server.protocol.CommandTypes', 'ts.createSourceFile'] },
  { file: 'typescript/lib/lib.es5.d.ts', language: 'typescript', symbols: ['Array', 'ArrayConstructor', 'parseInt'] },
  { file: 'lru-cache/dist/commonjs/index.js', language: 'javascript', symbols: ['LRUCache.fetch', 'Stack'] },
  { file: 'hnswlib-node/lib/index.d.ts', language: 'typescript', symbols: ['HierarchicalNSW.searchKnn'] },
  { file: 'web-tree-sitter/web-tree-sitter.d.ts', language: 'typescript', symbols: ['web-tree-sitter', 'web-tree-sitter.Parser'] },
  { file: 'hnswlib-node/src/hnswlib/hnswalg.h', language: 'cpp', symbols: ['hnswlib.HierarchicalNSW.searchBaseLayer'] },
  { file: 'hnswlib-node/src/addon.cc', language: 'cpp', symbols: [] },
  {
    file: 'realFiles/ruby-delegate.rb',
    language: 'ruby',
    symbols: ['Delegator', 'Delegator.method_missing', 'SimpleDelegator.__setobj__'],
  },
  { file: 'realFiles/ruby-helpers.rb', language: 'ruby', symbols: ['Helpers.Constants.folly_config', 'SysctlChecker'] },
  { file: 'realFiles/php-Logger.php', language: 'php', symbols: ['Logger', 'Logger.addRecord', 'Logger.$levels'] },
  { file: 'realFiles/php-ByteString.php', language: 'php', symbols: ['ByteString.fromRandom', 'ByteString.padBoth'] },
  {
    file: 'realFiles/kotlin-CodedException.kt',
    language: 'kotlin',
    symbols: ['toCodedException', 'CodedException.inferCode', 'NullArgumentException'],
  },
  { file: 'realFiles/kotlin-JavaTimerManager.kt', language: 'kotlin', symbols: ['JavaTimerManager.Timer', 'JavaTimerManager.onHostPause'] },
  { file: 'realFiles/swift-Record.swift', language: 'swift', symbols: ['Record', 'Record.update', 'allMirrorChildren'] },
  { file: 'realFiles/swift-Tensor.swift', language: 'swift', symbols: ['Tensor.init', 'Tensor.subscript', 'Tensor.dotsPacked'] },
  {
    file: 'realFiles/scala-PathResolver.scala',
    language: 'scala',
    symbols: ['PathResolver.Environment.searchForBootClasspath', 'PathResolver.MkLines'],
  },
  { file: 'realFiles/scala-SyntaxAnalyer.scala', language: 'scala', symbols: ['SyntaxAnalyzer.MemberPosReporter.show'] },
  { file: 'realFiles/bash-build-apple-framework.sh', language: 'bash', symbols: ['build_apple_framework', 'create_universal_framework'] },
  { file: 'realFiles/bash-script_phases.sh', language: 'bash', symbols: ['find_node', 'withCodegenDiscovery'] },
  { file: 'realFiles/lua-List.lua', language: 'lua', symbols: ['List.extend', 'List.slice', 'makelist'] },
  { file: 'realFiles/lua-getJobs-1.lua', language: 'lua', symbols: ['fetchIds', 'collectJobs'] },
  { file: 'hnswlib-node/README.md', language: 'text', symbols: [], overlap: true },
  { file: 'hnswlib-node/package.json', language: 'text', symbols: [], overlap: true },
];

describe('chunker: real files', function () {
  this.timeout(120_000);
  let tok: ModelTokenizer;
  let chunker: Chunker;
  before(async () => ({ tok, chunker } = await setup()));

  for (const f of REAL_FILES) {
    it(`${f.file}: within budget, text = lines, every line covered`, async () => {
      const where = f.file.startsWith('realFiles/')
        ? path.join(REAL_FIXTURES, f.file.slice('realFiles/'.length))
        : path.join(NODE_MODULES, f.file);
      const text = fs.readFileSync(where, 'utf8');
      const r = await chunker.chunkFile(f.file, text, tok, { maxChunksPerFile: UNCAPPED });
      assert.equal(r.language, f.language);
      assert.equal(r.capped, false);
      assert.equal(r.totalChunks, r.chunks.length);
      assert.ok(r.chunks.length > 0);
      const symbols = new Set(r.chunks.map(c => c.symbol));
      for (const s of f.symbols) assert.ok(symbols.has(s), `no chunk for ${s}`);
      assertInvariants(text, r, tok, { maxTokens: 256, maxLineChars: 1000, coverage: true, overlap: f.overlap });
    });
  }

  it('tokenizers.js (4,480 lines) chunks in well under 300 ms, tokenization included', async () => {
    const file = '@xenova/transformers/src/tokenizers.js';
    const text = fs.readFileSync(path.join(NODE_MODULES, file), 'utf8');
    let best = Infinity;
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      await chunker.chunkFile(file, text, tok, {});
      best = Math.min(best, performance.now() - t0);
    }
    assert.ok(best < 300, `took ${best.toFixed(0)} ms`);
  });

  it('text windows overlap by a few lines and stay within budget at a small budget', async () => {
    const file = 'hnswlib-node/README.md';
    const text = fs.readFileSync(path.join(NODE_MODULES, file), 'utf8');
    const r = await chunker.chunkFile(file, text, tok, { maxTokens: 64, maxChunksPerFile: UNCAPPED });
    assert.ok(r.chunks.every(c => c.kind === 'lines' && c.symbol === ''));
    const overlaps = r.chunks.slice(1).filter((c, i) => c.startLine <= r.chunks[i].endLine && c.startLine > r.chunks[i].startLine);
    // Windows that end at a paragraph break have nothing worth repeating; those cut inside one do.
    assert.ok(overlaps.length >= 3, `only ${overlaps.length} of ${r.chunks.length} windows overlap`);
    for (const c of overlaps) {
      const prev = r.chunks[r.chunks.indexOf(c) - 1];
      assert.ok(prev.endLine - c.startLine + 1 <= 3, `windows at ${c.startLine} repeat more than 3 lines`);
    }
    assertInvariants(text, r, tok, { maxTokens: 64, maxLineChars: 1000, coverage: true, overlap: true });
  });
});
