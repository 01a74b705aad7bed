// A long parse runs in slices with turns of the event loop between them (chunker.ts): files chunked at the
// same time through one Chunker must each be parsed whole with their own text, and come out as they do alone.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Chunker, ChunkFileResult } from '../../server/src/engine/chunker/chunker';
import type { ModelTokenizer } from '../../server/src/engine/model/tokenizer';
import { NODE_MODULES, setup } from './chunkerTestUtil';

// Each takes well over one 10 ms slice to parse: typescript.d.ts (~590 KB) ~150 ms here.
const BIG = ['typescript/lib/typescript.d.ts', 'typescript/lib/lib.dom.d.ts', 'hnswlib-node/src/hnswlib/hnswalg.h'];

const shape = (r: ChunkFileResult) => ({
  language: r.language,
  total: r.totalChunks,
  chunks: r.chunks.map(c => `${c.startLine}-${c.endLine} ${c.kind} ${c.symbol}`),
});

describe('chunker: parses in slices', function () {
  this.timeout(120_000);
  let tok: ModelTokenizer;
  let chunker: Chunker;
  before(async () => ({ tok, chunker } = await setup()));

  it('files chunked at the same time come out as each does alone, and the event loop turns meanwhile', async () => {
    const texts = BIG.map(f => fs.readFileSync(path.join(NODE_MODULES, f), 'utf8'));
    const alone: ReturnType<typeof shape>[] = [];
    for (let i = 0; i < BIG.length; i++) alone.push(shape(await chunker.chunkFile(BIG[i], texts[i], tok)));
    assert.deepEqual(
      alone.map(a => a.language),
      ['typescript', 'typescript', 'cpp'],
    );

    let turns = 0;
    let counting = true;
    const count = () => {
      if (counting) {
        turns++;
        setImmediate(count);
      }
    };
    setImmediate(count);
    const together = await Promise.all(BIG.map((f, i) => chunker.chunkFile(f, texts[i], tok)));
    counting = false;
    assert.deepEqual(together.map(shape), alone);
    assert.ok(turns > BIG.length, `the event loop turned ${turns} times while three big files were chunked`);
  });
});
