// The engine for one command: the model checked first (downloaded only with --allow-download; otherwise a
// missing model says how to get it), the engine disposed of (its workers stopped) whatever the command does.

import type { EngineSettings } from '../../../common/settings';
import { Engine, ensureModel } from '../engine';
import { tell } from './stderrLines';

export async function prepareModel(settings: EngineSettings, allowDownload: boolean): Promise<void> {
  // An embedding endpoint embeds: no model of this machine's is used, so none is needed.
  if (settings.embeddingEndpoint) return;
  await ensureModel(settings.modelsDir, settings.modelId, allowDownload, tell);
}

/** The embedding endpoint's API key: from the environment only, so it is never in a settings file or a command line. */
export function embeddingApiKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SEMSEARCH_EMBEDDING_API_KEY || undefined;
}

export async function withEngine<T>(settings: EngineSettings, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({ settings, embeddingApiKey: embeddingApiKeyFromEnv() });
  try {
    return await work(engine);
  } finally {
    await engine.dispose();
  }
}
