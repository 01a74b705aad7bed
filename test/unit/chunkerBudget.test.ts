// The token budget and odd input: oversized declarations and lines, megabyte lines, the per-file cap,
// line endings, empty and broken files.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Chunker } from '../../server/src/engine/chunker/chunker';
import { loadGrammar } from '../../server/src/engine/chunker/grammars';
import type { ModelTokenizer } from '../../server/src/engine/model/tokenizer';
import { assertInvariants, FIXTURES, NODE_MODULES, rows, setup } from './chunkerTestUtil';

const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const DEFAULTS = { maxTokens: 256, maxLineChars: 1000, coverage: true };

/** A function of n statement lines, each a handful of tokens. */
function bigFunction(name: string, n: number, indent = ''): string[] {
  const body = Array.from({ length: n }, (_, i) => `${indent}  total += weigh(items[${i}], 'step ${i}', factor);`);
  return [
    `${indent}function ${name}(items: Item[], factor: number): number {`,
    `${indent}  let total = 0;`,
    ...body,
    `${indent}  return total;`,
    `${indent}}`,
  ];
}

describe('chunker: token budget and robustness', function () {
  this.timeout(60_000);
  let tok: ModelTokenizer;
  let chunker: Chunker;
  before(async () => ({ tok, chunker } = await setup()));

  it('splits a function with no inner declarations into consecutive windows that keep its name', async () => {
    const lines = ['// Scores items.', ...bigFunction('score', 300), '', 'export const answer = 42;'];
    const text = lines.join('\n');
    const r = await chunker.chunkFile('score.ts', text, tok, {});
    const parts = r.chunks.filter(c => c.symbol === 'score');
    assert.ok(parts.length >= 5, `${parts.length} parts`);
    assert.ok(parts.every(c => c.kind === 'function'));
    assert.equal(parts[0].startLine, 1); // the comment above belongs to the function
    assert.equal(parts[parts.length - 1].endLine, 305);
    for (let i = 1; i < parts.length; i++) assert.equal(parts[i].startLine, parts[i - 1].endLine + 1);
    assert.deepEqual(rows(r).slice(-1), ['307-307 lines']);
    assertInvariants(text, r, tok, DEFAULTS);
  });

  it('splits an oversized class at its methods, recursively, with the header and fields labelled by the class', async () => {
    const text = [
      '/** Keeps weights. */',
      'export class Scales {',
      '  private readonly weights = new Map<string, number>();',
      '  private factor = 1;',
      '',
      '  /** Small and whole. */',
      '  reset(): void {',
      '    this.weights.clear();',
      '  }',
      '',
      ...bigFunction('score', 120, '  ').map(l => l.replace('function ', '')),
      '}',
    ].join('\n');
    const r = await chunker.chunkFile('scales.ts', text, tok, {});
    const got = rows(r);
    assert.deepEqual(got.slice(0, 2), ['1-4 class Scales', '6-9 method Scales.reset']);
    const scoreParts = r.chunks.filter(c => c.symbol === 'Scales.score');
    assert.ok(scoreParts.length >= 2 && scoreParts.every(c => c.kind === 'method'));
    assert.equal(scoreParts[0].startLine, 11);
    assert.equal(scoreParts[scoreParts.length - 1].endLine, 135); // the class's "}" joins the last part
    assertInvariants(text, r, tok, DEFAULTS);
  });

  it('cuts a line that alone exceeds the budget into pieces checked with the tokenizer', async () => {
    const words = Array.from({ length: 90 }, (_, i) => `word${i}`).join(' ');
    const line = `const sentence = "${words}";`;
    assert.ok(line.length < 1000 && tok.encodeLine(line).length > 62);
    const text = ['import { x } from "y";', line, 'export function f(): void {', '  x();', '}'].join('\n');
    const r = await chunker.chunkFile('cut.ts', text, tok, { maxTokens: 64 });
    const cuts = r.chunks.filter(c => c.startLine === 2);
    assert.ok(cuts.length >= 3, `${cuts.length} cuts`);
    const joined = cuts.map(c => c.text).join('');
    assert.ok(line.startsWith(joined));
    assert.ok(tok.encodeLine(line.slice(joined.length)).length < 3, 'only a scrap may be left out');
    assert.ok(rows(r).includes('3-5 function f'));
    assertInvariants(text, r, tok, { ...DEFAULTS, maxTokens: 64 });
  });

  it('leaves out a 1,000,000-character line, chunks the rest, and does it fast', async () => {
    const lines = fixture('TodoList.tsx').split('\n');
    lines.splice(2, 0, `const blob = "${'x'.repeat(1_000_000)}";`);
    lines.splice(20, 0, `    const inline = "${'y '.repeat(600)}";`); // 1,200+ characters, inside TodoList
    const text = lines.join('\n');
    const t0 = performance.now();
    const r = await chunker.chunkFile('TodoList.tsx', text, tok, {});
    const ms = performance.now() - t0;
    assert.equal(r.omittedLongLines, 2);
    assert.ok(r.chunks.every(c => !c.text.includes('xxxx') && !c.text.includes('y y y')));
    const symbols = rows(r).map(s => s.split(' ').slice(1).join(' '));
    assert.deepEqual(
      [...new Set(symbols)],
      ['lines', 'interface TodoListProps', 'type Filter', 'function TodoList', 'function FilterBar', 'class TodoErrorBoundary'],
    );
    assert.ok(ms < 500, `took ${ms.toFixed(0)} ms`);
    assertInvariants(text, r, tok, DEFAULTS);
  });

  it('keeps the first maxChunksPerFile chunks and reports the uncapped count', async () => {
    const file = '@xenova/transformers/src/tokenizers.js';
    const text = fs.readFileSync(path.join(NODE_MODULES, file), 'utf8');
    const all = await chunker.chunkFile(file, text, tok, { maxChunksPerFile: 1_000_000 });
    const capped = await chunker.chunkFile(file, text, tok, { maxChunksPerFile: 10 });
    assert.equal(capped.chunks.length, 10);
    assert.equal(capped.capped, true);
    assert.equal(capped.totalChunks, all.chunks.length);
    assert.deepEqual(rows(capped), rows(all).slice(0, 10));
    const byDefault = await chunker.chunkFile(file, text, tok, {});
    assert.equal(byDefault.chunks.length, 200);
    assert.equal(byDefault.capped, all.chunks.length > 200);
  });

  it('treats CRLF, lone CR and a missing final newline like LF', async () => {
    const text = fixture('inventory.py');
    const want = rows(await chunker.chunkFile('inventory.py', text, tok, {}));
    for (const variant of [text.replace(/\n/g, '\r\n'), text.replace(/\n/g, '\r'), text.trimEnd()]) {
      const r = await chunker.chunkFile('inventory.py', variant, tok, {});
      assert.deepEqual(rows(r), want);
      assertInvariants(variant, r, tok, DEFAULTS);
    }
  });

  it('returns no chunks for empty and blank files', async () => {
    for (const [name, text] of [
      ['a.ts', ''],
      ['a.ts', '\n\n   \n\t\n'],
      ['a.md', ''],
      ['a.md', ' \r\n \r\n'],
      ['a.py', '\uFEFF'],
    ]) {
      const r = await chunker.chunkFile(name, text, tok, {});
      assert.deepEqual([r.chunks.length, r.totalChunks, r.capped, r.omittedLongLines], [0, 0, false, 0], `${name} ${JSON.stringify(text)}`);
    }
  });

  it('still chunks a file with syntax errors, keeping the intact declarations', async () => {
    const lines = fixture('TodoList.tsx').split('\n');
    lines.splice(34, 0, 'export function broken(a: { b: [ = => ;;; <div', '  ))) }} class {');
    const text = lines.join('\n');
    const r = await chunker.chunkFile('TodoList.tsx', text, tok, {});
    assert.equal(r.language, 'tsx');
    const symbols = new Set(r.chunks.map(c => c.symbol));
    assert.ok(symbols.has('TodoListProps') && symbols.has('TodoList'), [...symbols].join(','));
    assertInvariants(text, r, tok, DEFAULTS);
  });

  it('survives garbage: NUL bytes, lone surrogates, unbalanced brackets in every language', async () => {
    const junk = 'x\u0000y {{{ (( "unterminated \ud800 \u200b\n'.repeat(50) + '}}}}))))\n' + 'é'.repeat(3000);
    for (const ext of ['ts', 'tsx', 'js', 'py', 'go', 'rs', 'java', 'c', 'cpp', 'cs', 'h', 'md', 'json', 'unknown']) {
      const r = await chunker.chunkFile(`junk.${ext}`, junk, tok, {});
      assert.equal(r.omittedLongLines, 1);
      assertInvariants(junk, r, tok, { ...DEFAULTS, overlap: true });
    }
  });

  it('stays within a tiny budget', async () => {
    const text = fixture('shapes.rs');
    for (const maxTokens of [3, 8, 20]) {
      const r = await chunker.chunkFile('shapes.rs', text, tok, { maxTokens, maxChunksPerFile: 1_000_000 });
      assert.ok(r.chunks.length > 0);
      assertInvariants(text, r, tok, { ...DEFAULTS, maxTokens, coverage: maxTokens >= 8 });
    }
  });

  it('chunks unknown file types as line windows, and a grammar that cannot load comes back null', async () => {
    const r = await chunker.chunkFile('Makefile', fixture('ringbuf.c'), tok, {});
    assert.equal(r.language, 'text');
    assert.ok(r.chunks.every(c => c.kind === 'lines'));
    assert.equal(await loadGrammar('no-such-grammar'), null);
  });
});
