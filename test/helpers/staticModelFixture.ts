// A small static model written by the test itself (a vocabulary of a few tokens, rows and scales it chooses),
// in the exact format train/train.py exports, so the loader and the arithmetic are checked against numbers
// worked out by hand.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURE_VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'get', 'user', 'name', '##s', '(', ')', 'parse'];

/** Writes a model into `dir` (rows: one int8 array per token; scales: one per token) and returns its dir. */
export function writeStaticModel(dir: string, rows: number[][], scales: number[], vocab = FIXTURE_VOCAB): string {
  fs.mkdirSync(dir, { recursive: true });
  const dims = rows[0].length;
  const files = {
    'vectors.i8': Buffer.from(Int8Array.from(rows.flat()).buffer),
    'scales.f32': Buffer.from(Float32Array.from(scales).buffer),
    'vocab.txt': Buffer.from(vocab.join('\n') + '\n'),
  };
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  const sha256 = Object.fromEntries(Object.entries(files).map(([n, b]) => [n, createHash('sha256').update(b).digest('hex')]));
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({
      format: 'semsearch-static',
      version: 1,
      id: path.basename(dir),
      dims,
      vocabSize: vocab.length,
      tokenizer: 'code-wordpiece',
      files: { vectors: 'vectors.i8', scales: 'scales.f32', vocab: 'vocab.txt' },
      sha256,
    }),
  );
  return dir;
}
