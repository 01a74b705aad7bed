// Finds a model on local disk and says exactly what is missing when it is not there.
// Nothing here downloads: see modelDownload.ts for the opt-in, checksum-verified download.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REQUIRED_MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];

export interface ModelFiles {
  modelsDir: string;
  modelId: string;
  dir: string;
  onnxPath: string;
}

export class ModelNotFoundError extends Error {}

export function defaultModelsDir(): string {
  return process.env.SEMSEARCH_MODEL_DIR || path.join(os.homedir(), '.cache', 'semsearch', 'models');
}

/** Resolves settings (empty = default) to model files, or throws a one-line error naming what is missing and where. */
export function locateModel(modelsDir: string, modelId: string): ModelFiles {
  const base = path.resolve(modelsDir || defaultModelsDir());
  const dir = path.join(base, ...modelId.split('/'));
  const missing = REQUIRED_MODEL_FILES.filter(f => !fs.existsSync(path.join(dir, f)));
  if (missing.length > 0) {
    throw new ModelNotFoundError(
      `Model "${modelId}" is missing ${missing.join(', ')} in ${dir}; put the model's files there or set SEMSEARCH_MODEL_DIR / the models folder setting.`,
    );
  }
  return { modelsDir: base, modelId, dir, onnxPath: path.join(dir, 'onnx', 'model_quantized.onnx') };
}

/** The model id from the environment (tests and benchmarks use the stand-in), else the settings default. */
export function modelIdFromEnv(fallback: string): string {
  return process.env.SEMSEARCH_MODEL || fallback;
}
