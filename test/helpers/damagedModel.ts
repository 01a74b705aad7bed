// Copies of the stand-in model in a temp folder with one file damaged, the way a disk error, an interrupted
// copy or a wrong download leaves a model: the ONNX file replaced by random bytes, tokenizer.json or
// config.json cut short. The copy lives in the temp folder only; the shared model is never written.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { standinModel } from './standin';

export type Damage = 'onnx' | 'tokenizer' | 'config';

/** What each damage must be reported as: the file named, in one line, with the fix. */
export const DAMAGE_MESSAGE: Record<Damage, RegExp> = {
  onnx: /^Could not load the model at .*model_quantized\.onnx \(.+\); the file is damaged or not an ONNX model: put the model's files there again\.$/,
  tokenizer: /^Model "damaged" has a damaged tokenizer\.json in .+; put the model's files there again\.$/,
  config: /^Model "damaged" has a damaged config\.json in .+; put the model's files there again\.$/,
};

/** Writes modelsDir/damaged/ (the model id 'damaged') with the given damage; returns modelsDir. */
export function makeDamagedModel(modelsDir: string, damage: Damage): string {
  const source = standinModel().dir;
  const dir = path.join(modelsDir, 'damaged');
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
    if (fs.existsSync(path.join(source, name))) fs.copyFileSync(path.join(source, name), path.join(dir, name));
  }
  const onnx = path.join(dir, 'onnx', 'model_quantized.onnx');
  if (damage === 'onnx') fs.writeFileSync(onnx, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
  else fs.copyFileSync(path.join(source, 'onnx', 'model_quantized.onnx'), onnx);
  const cut = (name: string, bytes: number) =>
    fs.writeFileSync(path.join(dir, name), fs.readFileSync(path.join(source, name)).subarray(0, bytes));
  if (damage === 'tokenizer') cut('tokenizer.json', 3000);
  if (damage === 'config') cut('config.json', 20);
  return modelsDir;
}
