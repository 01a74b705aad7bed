// Token ids of chunks spread evenly over the corpus, cut by the real scanner and chunker, so the model-alone
// run sees the same length mix as the index run.

import { Chunker, chunkOptionsFromSettings } from '../server/src/engine/chunker/chunker';
import { MAX_LINE_CHARS } from '../server/src/engine/indexer/indexer';
import type { LineTokenizer } from '../server/src/engine/model/tokenizer';
import { readSourceFile } from '../server/src/engine/scanner/contentCheck';
import { walk } from '../server/src/engine/scanner/walker';
import type { EngineSettings } from '../common/settings';

export async function sampleChunkIds(root: string, tok: LineTokenizer, settings: EngineSettings, want: number): Promise<{ sample: Int32Array[]; total: number }> {
  const chunker = await Chunker.create();
  const all: Int32Array[] = [];
  for await (const ev of walk(root, { excludeGlobs: [], maxFileBytes: settings.maxFileBytes })) {
    if (ev.kind !== 'file') continue;
    const read = await readSourceFile(ev.file, { maxFileBytes: settings.maxFileBytes, maxLineChars: MAX_LINE_CHARS });
    if (!read.ok) continue;
    const res = await chunker.chunkFile(ev.file.path, read.text, tok, { ...chunkOptionsFromSettings(settings), maxLineChars: MAX_LINE_CHARS });
    for (const c of res.chunks) all.push(c.ids);
  }
  const step = Math.max(1, all.length / want);
  const sample: Int32Array[] = [];
  for (let i = 0; i < all.length && sample.length < want; i += step) sample.push(all[Math.floor(i)]);
  return { sample, total: all.length };
}
