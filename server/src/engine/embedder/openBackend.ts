// The one place that decides which backend runs a model: a folder whose model.json says it is a static model
// runs in this process (staticBackend.ts); anything else must be a BERT-style ONNX model (onnxBackend.ts).

import type { EngineSettings } from '../../../../common/settings';
import { findStaticModel } from '../model/bundledModels';
import type { EmbeddingBackend } from './backend';
import { OnnxBackend, OnnxPoolOptions } from './onnxBackend';
import { StaticBackend } from './staticBackend';

export async function openBackend(settings: Pick<EngineSettings, 'modelId' | 'modelsDir'>, pool: OnnxPoolOptions): Promise<EmbeddingBackend> {
  const staticDir = findStaticModel(settings.modelsDir, settings.modelId);
  if (staticDir) return StaticBackend.load(staticDir, settings.modelId);
  return OnnxBackend.open(settings.modelsDir, settings.modelId, pool);
}
