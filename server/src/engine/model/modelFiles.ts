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
      `Model "${modelId}" is missing ${missing.join(', ')} in ${dir}; put the model's files there, or point the models folder at where they are (the modelsDir setting, --models-dir on the command line, or SEMSEARCH_MODEL_DIR).`,
    );
  }
  return { modelsDir: base, modelId, dir, onnxPath: path.join(dir, 'onnx', 'model_quantized.onnx') };
}

/** The model's files are there but one cannot be read as what it should be (truncated, overwritten, not JSON). */
export class ModelDamagedError extends ModelNotFoundError {}

const JSON_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

/**
 * Parses the model's JSON files up front, so a damaged one is named in one line instead of surfacing as a bare
 * "Unexpected end of JSON input" from deep inside the tokenizer loader. Returns config.json's contents.
 */
export function readModelConfig(model: ModelFiles): { hidden_size?: number } {
  let config: unknown;
  for (const name of JSON_FILES) {
    const file = path.join(model.dir, name);
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it holds no JSON object');
      if (name === 'config.json') config = parsed;
    } catch (e) {
      throw new ModelDamagedError(
        `Model "${model.modelId}" has a damaged ${name} in ${model.dir} (${oneLine(e)}); put the model's files there again.`,
      );
    }
  }
  return config as { hidden_size?: number };
}

/** The ONNX file could not be loaded by a worker: named with the fix, in one line. */
export function damagedOnnxMessage(onnxPath: string, cause: unknown): string {
  return `Could not load the model at ${onnxPath} (${oneLine(cause).replace(/^Load model from .* failed:\s*/, '')}); the file is damaged or not an ONNX model: put the model's files there again.`;
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ').trim();
}

/** The model id from the environment (tests and benchmarks use the stand-in), else the settings default. */
export function modelIdFromEnv(fallback: string): string {
  return process.env.SEMSEARCH_MODEL || fallback;
}
