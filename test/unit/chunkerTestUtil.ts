// Shared by the chunker suites: the real tokenizer, one Chunker, and the invariants every result must keep.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Chunker, type ChunkFileResult } from '../../server/src/engine/chunker/chunker';
import { splitLines } from '../../server/src/engine/chunker/fileLines';
import { MIN_CONTENT_TOKENS } from '../../server/src/engine/chunker/pieces';
import { ModelTokenizer } from '../../server/src/engine/model/tokenizer';
import { PROJECT_ROOT, standinModel } from '../helpers/standin';

export const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'chunker');
export const NODE_MODULES = path.join(PROJECT_ROOT, 'node_modules');

let shared: Promise<{ tok: ModelTokenizer; chunker: Chunker }> | undefined;

export function setup(): Promise<{ tok: ModelTokenizer; chunker: Chunker }> {
  shared ??= (async () => ({
    tok: await ModelTokenizer.load(standinModel()),
    chunker: await Chunker.create(),
  }))();
  return shared;
}

export interface InvariantOptions {
  maxTokens: number;
  maxLineChars: number;
  coverage: boolean;
  /** Line windows of plain text may repeat a few lines; code chunks never overlap (cuts of one line aside). */
  overlap?: boolean;
}

/** Checks budget, line bounds, order, text/ids agreement and (unless capped) that every line with content is in a chunk. */
export function assertInvariants(text: string, r: ChunkFileResult, tok: ModelTokenizer, o: InvariantOptions): void {
  const lines = splitLines(text);
  const covered = new Uint8Array(lines.length);
  let prev: { startLine: number; endLine: number } = { startLine: 0, endLine: 0 };
  for (const c of r.chunks) {
    const where = `${c.path}:${c.startLine}-${c.endLine} ${c.kind} ${c.symbol}`;
    assert.ok(c.ids.length <= o.maxTokens, `${where} has ${c.ids.length} tokens`);
    assert.ok(c.startLine >= 1 && c.startLine <= c.endLine && c.endLine <= lines.length, `${where} is outside the file`);
    const sameLineCut = c.startLine === c.endLine && prev.startLine === c.startLine && prev.endLine === c.endLine;
    if (o.overlap) assert.ok(c.startLine > prev.startLine || sameLineCut, `${where} does not move past ${prev.startLine}`);
    else assert.ok(c.startLine > prev.endLine || sameLineCut, `${where} overlaps the previous chunk (ends ${prev.endLine})`);
    prev = c;
    assert.equal(c.ids[0], tok.clsId);
    assert.equal(c.ids[c.ids.length - 1], tok.sepId);
    const whole = lines
      .slice(c.startLine - 1, c.endLine)
      .filter(l => l.length <= o.maxLineChars)
      .join('\n');
    if (c.text !== whole) {
      assert.equal(c.startLine, c.endLine, `${where}: text differs from its lines`);
      assert.ok(lines[c.startLine - 1].includes(c.text), `${where}: a cut is not part of its line`);
    }
    assert.ok(!c.text.includes('\r'), `${where}: text holds \\r`);
    assert.deepEqual(Array.from(c.ids.subarray(1, -1)), Array.from(tok.encodeLine(c.text)), `${where}: ids are not the text's`);
    for (let i = c.startLine - 1; i < c.endLine; i++) covered[i] = 1;
  }
  if (!o.coverage || r.capped) return;
  for (let i = 0; i < lines.length; i++) {
    if (covered[i] || lines[i].trim() === '' || lines[i].length > o.maxLineChars) continue;
    // The only lines allowed out: a scrap under MIN_CONTENT_TOKENS ("}") whose neighbours were full.
    assert.ok(
      tok.encodeLine(lines[i]).length < MIN_CONTENT_TOKENS,
      `line ${i + 1} is in no chunk: ${JSON.stringify(lines[i].slice(0, 80))}`,
    );
  }
}

/** Chunks as compact rows for exact comparisons: "start-end kind symbol". */
export function rows(r: ChunkFileResult): string[] {
  return r.chunks.map(c => `${c.startLine}-${c.endLine} ${c.kind} ${c.symbol}`.trimEnd());
}
