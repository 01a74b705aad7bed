// The static model, run in the engine process. Measured (README, "The embedded model"): the chunker already
// tokenizes every line in this process to draw chunk boundaries, and the sum of a chunk's rows costs ~0.05 ms,
// less than sending its ids to a worker and its vector back; so there is no worker to start, restart or bound.

import { CodeWordPiece } from '../model/codeWordPiece';
import { ModelDamagedError } from '../model/modelFiles';
import { StaticModel } from '../model/staticModel';
import { WorkerlessBackend, type EmbeddingBackend, type EmbedItem } from './backend';

/** Rows summed between yields to the event loop: a long batch never holds up a search or a progress report. */
const YIELD_EVERY = 64;

export class StaticBackend extends WorkerlessBackend implements EmbeddingBackend {
  readonly tokenizer: CodeWordPiece;

  private constructor(
    private readonly model: StaticModel,
    readonly modelId: string,
  ) {
    super({ embedder: { embed: items => this.embedAll(items) }, batchesInFlight: 2 });
    this.tokenizer = CodeWordPiece.fromVocabText(model.vocabText);
    if (this.tokenizer.lines !== model.vocabSize) {
      throw new ModelDamagedError(
        `The static model in ${model.dir} has ${model.vocabSize} rows but a vocabulary of ${this.tokenizer.lines} lines; put the model's files there again.`,
      );
    }
  }

  /**
   * Loads and verifies the model in `dir` (throws one line when it is damaged). Its id carries the rows'
   * fingerprint (semsearch-code-v1@1a2b3c4d): stores and cache keys hold the id, so a retrained model of the
   * same name rebuilds them instead of mixing its vectors with the old ones.
   */
  static load(dir: string, modelId: string): StaticBackend {
    const model = StaticModel.load(dir);
    return new StaticBackend(model, `${modelId}@${model.fingerprint}`);
  }

  get dims(): number {
    return this.model.dims;
  }
  get dir(): string {
    return this.model.dir;
  }

  private async embedAll(items: readonly EmbedItem[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < items.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise(resolve => setImmediate(resolve));
      out.push(this.model.embed(items[i].ids));
    }
    return out;
  }
}
