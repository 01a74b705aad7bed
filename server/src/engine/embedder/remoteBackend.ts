// An OpenAI-compatible embeddings endpoint as a backend (embeddingEndpoint set): the only backend that sends
// text off this machine. Opening it asks the endpoint once (the model, when embeddingModel is empty, then one
// tiny probe text), so its dimensions are known before any store is opened; the model id the stores record
// carries the endpoint's model name and those dimensions, so another model or size behind the same URL
// rebuilds the index (and says so) instead of mixing vectors. Chunks are still cut on token counts: by the
// built-in static model's tokenizer, which counts close to any WordPiece or BPE model's tokens on code.

import type { EngineSettings } from '../../../../common/settings';
import { DEFAULT_MODEL_ID } from '../../../../common/settings';
import { findStaticModel } from '../model/bundledModels';
import { CodeWordPiece } from '../model/codeWordPiece';
import { ModelNotFoundError } from '../model/modelFiles';
import { withSpecialTokens } from '../model/tokenizer';
import { EmbedderUnavailableError, WorkerlessBackend, type EmbeddingBackend } from './backend';
import { API_KEY_WAYS, tryRequest } from './embeddingsClient';
import { RemoteEmbedder } from './remoteEmbedder';
import { retryPolicyFromEnv, type RetryPolicy } from './retryPolicy';
import { StaticBackend } from './staticBackend';

export type RemoteSettings = Pick<
  EngineSettings,
  | 'embeddingEndpoint'
  | 'embeddingModel'
  | 'embeddingBatchSize'
  | 'embeddingBatchTokens'
  | 'embeddingRequests'
  | 'embeddingTimeoutSeconds'
  | 'modelsDir'
>;

/** What the stores of an endpoint's model are recorded under: `openai:<model>:<dims>`. */
export function remoteModelId(model: string, dims: number): string {
  return `openai:${model}:${dims}`;
}

/** Nothing runs here but HTTP requests: no worker to start, bound or restart. */
export class RemoteBackend extends WorkerlessBackend implements EmbeddingBackend {
  private constructor(
    readonly modelId: string,
    readonly dims: number,
    readonly dir: string,
    readonly tokenizer: CodeWordPiece,
    embedder: RemoteEmbedder,
    settings: RemoteSettings,
  ) {
    // Twice the requests the endpoint gets at once: the next batches wait here, cut and ready, so the chunker
    // goes on while requests are on the wire (with only as many as in flight, it idled for each round trip).
    super({ embedder, batchesInFlight: settings.embeddingRequests * 2, batchSize: settings.embeddingBatchSize });
  }

  /** Checks the URL, finds the model and its dimensions by asking the endpoint; throws one line when it cannot. */
  static async open(settings: RemoteSettings, apiKey?: string, retry: RetryPolicy = retryPolicyFromEnv()): Promise<RemoteBackend> {
    const base = baseUrlOf(settings.embeddingEndpoint);
    const timeoutMs = Math.round(settings.embeddingTimeoutSeconds * 1000);
    const model = settings.embeddingModel || (await firstModel(base, apiKey, timeoutMs));
    const embedder = new RemoteEmbedder({
      base,
      model,
      apiKey,
      maxInputs: settings.embeddingBatchSize,
      maxTokens: settings.embeddingBatchTokens,
      requests: settings.embeddingRequests,
      timeoutMs,
      retry,
    });
    const tokenizer = budgetTokenizer(settings.modelsDir);
    // The first answer: its length is the dimensions every later answer is held to.
    await embedder.embed([{ ids: withSpecialTokens(tokenizer, [tokenizer.encodeLine('semsearch')]), text: 'semsearch' }], true);
    const shape = embedder.shape!;
    return new RemoteBackend(remoteModelId(shape.model || model, shape.dims), shape.dims, base, tokenizer, embedder, settings);
  }
}

/** The URL requests are made under: http(s) only, no trailing slash, a pasted ".../embeddings" taken back to its base. */
export function baseUrlOf(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new Error(`embeddingEndpoint must be a URL such as http://127.0.0.1:8080/v1; got "${endpoint}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`embeddingEndpoint must be an http:// or https:// URL such as http://127.0.0.1:8080/v1; got "${endpoint}".`);
  if (url.username || url.password)
    throw new Error(`embeddingEndpoint must not hold a user name or password; give the API key through ${API_KEY_WAYS} instead.`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/embeddings$/, '');
}

/** The first model GET <base>/models lists, for an empty embeddingModel. */
async function firstModel(base: string, apiKey: string | undefined, timeoutMs: number): Promise<string> {
  const result = await tryRequest({ url: `${base}/models`, apiKey, timeoutMs });
  const first = result.ok ? (result.body as { data?: { id?: unknown }[] } | null)?.data?.[0]?.id : undefined;
  if (typeof first === 'string' && first !== '') return first;
  if (!result.ok && result.failure.kind === 'retry' && result.failure.status === undefined) {
    throw new EmbedderUnavailableError(
      `The embedding endpoint ${base} could not be reached (${result.failure.why}); start it or correct embeddingEndpoint, then run again.`,
    );
  }
  if (!result.ok && result.failure.kind === 'refused' && (result.failure.status === 401 || result.failure.status === 403)) {
    throw new Error(
      `The embedding endpoint ${base} refused to list its models (${result.failure.why}); give it an API key it accepts through ${API_KEY_WAYS}.`,
    );
  }
  const why = result.ok ? 'it lists none' : result.failure.why;
  throw new Error(
    `The embedding endpoint ${base} could not say which model to use (GET ${base}/models: ${why}); set embeddingModel to the model's name.`,
  );
}

/** The built-in static model's tokenizer: chunk budgets are counted in its tokens. */
function budgetTokenizer(modelsDir: string): CodeWordPiece {
  const dir = findStaticModel(modelsDir, DEFAULT_MODEL_ID);
  if (!dir)
    throw new ModelNotFoundError(
      `The built-in model ${DEFAULT_MODEL_ID}, whose tokenizer cuts chunks for an embedding endpoint, is missing from the package; reinstall the extension or the CLI.`,
    );
  return StaticBackend.load(dir, DEFAULT_MODEL_ID).tokenizer;
}
