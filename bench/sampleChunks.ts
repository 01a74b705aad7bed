// The corpus's chunks as the index run cuts them (the real scanner and chunker): for the model-alone run,
// token ids spread evenly over the corpus, so it sees the same length mix as the index run; for the
// search-at-scale run, their texts and places.

import { Chunker, chunkOptionsFromSettings } from '../server/src/engine/chunker/chunker';
import { MAX_LINE_CHARS } from '../server/src/engine/indexer/indexer';
import type { LineTokenizer } from '../server/src/engine/model/tokenizer';
import { readSourceFile } from '../server/src/engine/scanner/contentCheck';
import { walk } from '../server/src/engine/scanner/walker';
import { readOptions, walkOptions } from '../server/src/engine/scanner/scanOptions';
import type { Chunk } from '../server/src/engine/types';
import type { EngineSettings } from '../common/settings';

export async function corpusChunks(root: string, tok: LineTokenizer, settings: EngineSettings): Promise<Chunk[]> {
  const chunker = await Chunker.create();
  const all: Chunk[] = [];
  try {
    for await (const ev of walk(root, walkOptions(settings))) {
      if (ev.kind !== 'file') continue;
      const read = await readSourceFile(ev.file, readOptions(settings, MAX_LINE_CHARS));
      if (!read.ok) continue;
      const res = await chunker.chunkFile(ev.file.path, read.text, tok, {
        ...chunkOptionsFromSettings(settings),
        maxLineChars: MAX_LINE_CHARS,
      });
      all.push(...res.chunks);
    }
  } finally {
    chunker.dispose();
  }
  return all;
}

export async function sampleChunkIds(
  root: string,
  tok: LineTokenizer,
  settings: EngineSettings,
  want: number,
): Promise<{ sample: Int32Array[]; total: number }> {
  const all = await corpusChunks(root, tok, settings);
  const step = Math.max(1, all.length / want);
  const sample: Int32Array[] = [];
  for (let i = 0; i < all.length && sample.length < want; i += step) sample.push(all[Math.floor(i)].ids);
  return { sample, total: all.length };
}
