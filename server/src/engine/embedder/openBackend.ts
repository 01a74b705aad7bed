// The one place that decides which backend embeds: an embedding endpoint when one is set (the only backend
// that sends text off this machine: remoteBackend.ts); else a folder whose model.json says it is a static
// model runs in this process (staticBackend.ts); anything else must be a BERT-style ONNX model (onnxBackend.ts).

import { DEFAULT_SETTINGS, type EngineSettings } from '../../../../common/settings';
import { findStaticModel } from '../model/bundledModels';
import type { EmbeddingBackend } from './backend';
import { OnnxBackend, OnnxPoolOptions } from './onnxBackend';
import { RemoteBackend, type RemoteSettings } from './remoteBackend';
import { StaticBackend } from './staticBackend';

export type BackendSettings = Pick<EngineSettings, 'modelId' | 'modelsDir'> & Partial<RemoteSettings>;

/** `apiKey`: the embedding endpoint's, if it needs one (the CLI reads it from SEMSEARCH_EMBEDDING_API_KEY). */
export async function openBackend(settings: BackendSettings, pool: OnnxPoolOptions, apiKey?: string): Promise<EmbeddingBackend> {
  if (settings.embeddingEndpoint) return RemoteBackend.open({ ...DEFAULT_SETTINGS, ...settings }, apiKey);
  const staticDir = findStaticModel(settings.modelsDir, settings.modelId);
  if (staticDir) return StaticBackend.load(staticDir, settings.modelId);
  return OnnxBackend.open(settings.modelsDir, settings.modelId, pool);
}
