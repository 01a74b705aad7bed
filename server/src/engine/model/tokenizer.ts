// The model's WordPiece tokenizer, run in the engine process so chunk boundaries can be drawn on exact
// token counts and workers receive ready ids (they run ONNX only).
//
// BERT's pre-tokenizer splits on whitespace, so a newline is always a token boundary: the ids of a text are
// the concatenation of the ids of its lines. The chunker relies on that to tokenize each line once.

import type { ModelFiles } from './modelFiles';

/** What the chunker and search need from a tokenizer. */
export interface LineTokenizer {
  /** Token ids of one line, without special tokens. */
  encodeLine(line: string): Int32Array;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
}

interface HfTokenizer {
  encode(text: string, pair: null, options: { add_special_tokens: boolean }): number[];
  model: { tokens_to_ids: Map<string, number> };
}

interface TokenizerModules {
  AutoTokenizer: { from_pretrained(modelId: string, options: { local_files_only: boolean }): Promise<HfTokenizer> };
  env: { localModelPath: string; allowRemoteModels: boolean; allowLocalModels: boolean };
}

/**
 * @xenova/transformers' tokenizer and settings modules, not its main one: that one also loads the image code
 * and with it sharp (a native libvips, ~16 MB a platform), which text never uses and the VSIX does not ship.
 * The package is ESM-only and has no exports map; a dynamic import keeps it out of the bundle.
 */
async function loadTokenizerModules(): Promise<TokenizerModules> {
  const [tokenizers, settings] = await Promise.all([
    import('@xenova/transformers/src/tokenizers.js' as string) as Promise<{ AutoTokenizer: TokenizerModules['AutoTokenizer'] }>,
    import('@xenova/transformers/src/env.js' as string) as Promise<{ env: TokenizerModules['env'] }>,
  ]);
  return { AutoTokenizer: tokenizers.AutoTokenizer, env: settings.env };
}

export class ModelTokenizer implements LineTokenizer {
  private constructor(
    private readonly tok: HfTokenizer,
    readonly clsId: number,
    readonly sepId: number,
    readonly padId: number,
  ) {}

  static async load(model: ModelFiles): Promise<ModelTokenizer> {
    const { AutoTokenizer, env } = await loadTokenizerModules();
    env.localModelPath = model.modelsDir;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    const tok = await AutoTokenizer.from_pretrained(model.modelId, { local_files_only: true });
    const id = (t: string): number => {
      const v = tok.model.tokens_to_ids.get(t);
      if (v === undefined) throw new Error(`The tokenizer of model "${model.modelId}" has no ${t} token; use a BERT-style model.`);
      return v;
    };
    return new ModelTokenizer(tok, id('[CLS]'), id('[SEP]'), id('[PAD]'));
  }

  encodeLine(line: string): Int32Array {
    if (line.trim() === '') return new Int32Array(0);
    return Int32Array.from(this.tok.encode(line, null, { add_special_tokens: false }));
  }
}

/** [CLS] + the ids of the given lines + [SEP]. */
export function withSpecialTokens(tok: LineTokenizer, parts: Int32Array[]): Int32Array {
  let n = 2;
  for (const p of parts) n += p.length;
  const out = new Int32Array(n);
  out[0] = tok.clsId;
  let o = 1;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  out[o] = tok.sepId;
  return out;
}
