// Where a model id's files are when it is a static model: the user's models folder first (a retrained or
// newer model can be dropped there), then the models/ folder shipped inside the extension and the CLI package.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultModelsDir } from './modelFiles';
import { StaticModel } from './staticModel';

/** The package's models/ folder: every bundle sits in dist/ (tests in dist/test/<layer>/), models/ beside dist/. */
export function bundledModelsDir(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'models');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** The folder of the static model `modelId`, or undefined when it is not a static model found anywhere. */
export function findStaticModel(modelsDir: string, modelId: string): string | undefined {
  const roots = [path.resolve(modelsDir || defaultModelsDir()), bundledModelsDir()];
  for (const root of roots) {
    if (!root) continue;
    const dir = path.join(root, ...modelId.split('/'));
    if (StaticModel.isStaticModel(dir)) return dir;
  }
  return undefined;
}
