// Tests and benchmarks use the stand-in model in ../shared/models (never copied into the project).

import * as path from 'node:path';
import { locateModel, ModelFiles } from '../../server/src/engine/model/modelFiles';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

export function standinModelsDir(): string {
  return process.env.SEMSEARCH_MODEL_DIR || path.resolve(PROJECT_ROOT, '..', 'shared', 'models');
}

export function standinModel(): ModelFiles {
  return locateModel(standinModelsDir(), process.env.SEMSEARCH_MODEL || 'minilm-standin');
}

export function workerScript(): string {
  return path.join(PROJECT_ROOT, 'dist', 'embedderWorker.js');
}
