// The embedded (default) model's own figures, beside the cold index run the benchmark makes with it:
// - the model alone on the corpus's chunks (a fresh tokenizer, so its memo starts empty as in a run):
//   tokenizing each chunk's lines and summing its rows, and the sum alone;
// - where a cold run's time goes: each stage timed alone, in this process, over the same corpus
//   (walk, read, chunk = tree-sitter parse + line tokenizing + cutting, embed, store = HNSW + lexical, save).
// The stages run one after another here, as they do in a run's single engine thread.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EngineSettings } from '../common/settings';
import { Chunker, chunkOptionsFromSettings } from '../server/src/engine/chunker/chunker';
import { openBackend } from '../server/src/engine/embedder/openBackend';
import { DEFAULT_TERM_OPTIONS } from '../server/src/engine/lexical/codeTerms';
import { StaticBackend } from '../server/src/engine/embedder/staticBackend';
import { MAX_LINE_CHARS } from '../server/src/engine/indexer/indexer';
import { LexicalBuilder } from '../server/src/engine/lexical/lexicalBuilder';
import { withSpecialTokens } from '../server/src/engine/model/tokenizer';
import { readSourceFile } from '../server/src/engine/scanner/contentCheck';
import { walk } from '../server/src/engine/scanner/walker';
import { readOptions, walkOptions } from '../server/src/engine/scanner/scanOptions';
import { ChunkSegments } from '../server/src/engine/store/chunkSegments';
import type { CandidateFile, Chunk } from '../server/src/engine/types';
import { median } from './stats';

export interface StageSeconds {
  walk: number;
  read: number;
  chunk: number;
  tokenizeLines: number;
  embed: number;
  store: number;
  lexical: number;
  save: number;
}

export interface EmbeddedModelFigures {
  modelId: string;
  dims: number;
  chunks: number;
  /** Tokenize + sum, chunks per second (median of two passes, each with a fresh tokenizer). */
  modelChunksPerSecond: number;
  /** The sum alone over ready ids. */
  sumChunksPerSecond: number;
  stages: StageSeconds;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await f();
  return [out, (performance.now() - t0) / 1000];
}

async function staticBackend(settings: EngineSettings): Promise<StaticBackend> {
  const backend = await openBackend(settings, { workerScript: '', batchTimeoutMs: 0 });
  if (!(backend instanceof StaticBackend))
    throw new Error(`bench: model "${settings.modelId}" is not a static model; the embedded-model part measures the default model.`);
  return backend;
}

export async function embeddedModelFigures(root: string, settings: EngineSettings): Promise<EmbeddedModelFigures> {
  const backend = await staticBackend(settings);
  const [files, walkS] = await timed(async () => {
    const out: CandidateFile[] = [];
    for await (const ev of walk(root, walkOptions(settings))) if (ev.kind === 'file') out.push(ev.file);
    return out;
  });
  const [texts, readS] = await timed(async () => {
    const out: { path: string; text: string }[] = [];
    for (const f of files) {
      const r = await readSourceFile(f, readOptions(settings, MAX_LINE_CHARS));
      if (r.ok) out.push({ path: f.path, text: r.text });
    }
    return out;
  });
  const [, tokenizeLinesS] = await timed(async () => {
    const tok = (await staticBackend(settings)).tokenizer;
    for (const t of texts) for (const line of t.text.split('\n')) if (line.length <= MAX_LINE_CHARS) tok.encodeLine(line);
  });
  const chunker = await Chunker.create();
  const [chunks, chunkS] = await timed(async () => {
    const out: Chunk[] = [];
    for (const t of texts)
      out.push(
        ...(
          await chunker.chunkFile(t.path, t.text, backend.tokenizer, {
            ...chunkOptionsFromSettings(settings),
            maxLineChars: MAX_LINE_CHARS,
          })
        ).chunks,
      );
    return out;
  });
  chunker.dispose();

  const { embedder } = await backend.start(0, 0);
  const [vectors, embedS] = await timed(() => embedder.embed(chunks));
  // The model's own: from each chunk's text, as a caller with only the text would (lines tokenized, then summed).
  const passes: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const fresh = await staticBackend(settings);
    const { embedder: e } = await fresh.start(0, 0);
    const [, s] = await timed(() =>
      e.embed(
        chunks.map(c => ({
          ids: withSpecialTokens(
            fresh.tokenizer,
            c.text.split('\n').map(l => fresh.tokenizer.encodeLine(l)),
          ),
          text: c.text,
        })),
      ),
    );
    passes.push(s);
  }
  const store = ChunkSegments.create(backend.dims);
  const [, storeS] = await timed(() =>
    chunks.forEach((c, i) =>
      store.add({ path: c.path, startLine: c.startLine, endLine: c.endLine, symbol: c.symbol, kind: c.kind }, vectors[i], c.text),
    ),
  );
  const lexicalOnly = new LexicalBuilder(DEFAULT_TERM_OPTIONS);
  const [, lexicalS] = await timed(() =>
    chunks.forEach((c, i) => lexicalOnly.add(i, { text: c.text, symbol: c.symbol, kind: c.kind, path: c.path })),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-bench-save-'));
  const [, saveS] = await timed(() => store.prepareSave(dir));
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    modelId: backend.modelId,
    dims: backend.dims,
    chunks: chunks.length,
    modelChunksPerSecond: Math.round(chunks.length / median(passes)),
    sumChunksPerSecond: Math.round(chunks.length / embedS),
    stages: {
      walk: round(walkS),
      read: round(readS),
      chunk: round(chunkS),
      tokenizeLines: round(tokenizeLinesS),
      embed: round(embedS),
      store: round(storeS),
      lexical: round(lexicalS),
      save: round(saveS),
    },
  };
}
