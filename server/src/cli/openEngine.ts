// The engine for one command: the model checked first (downloaded only with --allow-download; otherwise a
// missing model says how to get it), the engine disposed of (its workers stopped) whatever the command does.

import type { EngineSettings } from '../../../common/settings';
import { Engine } from '../engine/engine';
import { ensureModel } from '../engine/model/modelDownload';
import { tell } from './stderrLines';

export async function prepareModel(settings: EngineSettings, allowDownload: boolean): Promise<void> {
  await ensureModel(settings.modelsDir, settings.modelId, allowDownload, tell);
}

export async function withEngine<T>(settings: EngineSettings, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({ settings });
  try {
    return await work(engine);
  } finally {
    await engine.dispose();
  }
}
