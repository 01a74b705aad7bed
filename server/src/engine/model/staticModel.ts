// A static embedding model: one int8 vector per vocabulary token with a float scale per row (the learned
// token weight folded in); a text's vector is the normalised sum of its tokens' rows, repeats included.
// The format is what train/train.py exports (model.json, vectors.i8, scales.f32, vocab.txt). There is no
// network, no runtime and no thread here: a chunk of 256 tokens costs 256 x dims multiply-adds.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelDamagedError } from './modelFiles';

export const STATIC_FORMAT = 'semsearch-static';

interface StaticManifest {
  format: string;
  version: number;
  dims: number;
  vocabSize: number;
  files: { vectors: string; scales: string; vocab: string };
  sha256: Record<string, string>;
}

export class StaticModel {
  private constructor(
    readonly dir: string,
    readonly dims: number,
    private readonly vectors: Int8Array,
    private readonly scales: Float32Array,
    readonly vocabText: string,
    /** The first 8 hex of the rows' sha256: what tells two models of one id apart (a retrained one). */
    readonly fingerprint: string,
  ) {}

  /** True when `dir` holds a static model (its model.json names the format); says nothing of its health. */
  static isStaticModel(dir: string): boolean {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { format?: string }).format === STATIC_FORMAT;
    } catch {
      return false;
    }
  }

  /** Loads and verifies the model (sizes and checksums), or throws a one-line ModelDamagedError naming the file. */
  static load(dir: string): StaticModel {
    const damaged = (what: string) =>
      new ModelDamagedError(
        `The static model in ${dir} has ${what}; put the model's files there again (the built-in model: reinstall the extension or the CLI).`,
      );
    let m: StaticManifest;
    try {
      m = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as StaticManifest;
    } catch (e) {
      throw damaged(`a model.json that cannot be read (${(e as Error).message.split('\n')[0]})`);
    }
    if (m.format !== STATIC_FORMAT || m.version !== 1)
      throw damaged(`a model.json of format ${m.format} version ${m.version}, not ${STATIC_FORMAT} 1`);
    if (!(m.dims > 0 && m.vocabSize > 0 && m.files)) throw damaged('a model.json without dims, vocabSize or files');
    /** A file's bytes and sha256, checked against model.json's size and checksum. */
    const read = (name: string, bytes?: number): { buf: Buffer; sha256: string } => {
      let buf: Buffer;
      try {
        buf = fs.readFileSync(path.join(dir, name));
      } catch (e) {
        throw damaged(`no readable ${name} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      if (bytes !== undefined && buf.length !== bytes) throw damaged(`a ${name} of ${buf.length} bytes instead of ${bytes}`);
      const sha256 = createHash('sha256').update(buf).digest('hex');
      const want = m.sha256?.[name];
      if (want && sha256 !== want) throw damaged(`a ${name} whose checksum does not match model.json`);
      return { buf, sha256 };
    };
    const vec = read(m.files.vectors, m.vocabSize * m.dims);
    const sc = read(m.files.scales, m.vocabSize * 4).buf;
    const vocab = read(m.files.vocab).buf.toString('utf8');
    const vectors = new Int8Array(vec.buf.buffer, vec.buf.byteOffset, vec.buf.byteLength);
    const scales = new Float32Array(sc.buffer.slice(sc.byteOffset, sc.byteOffset + sc.byteLength));
    return new StaticModel(dir, m.dims, vectors, scales, vocab, vec.sha256.slice(0, 8));
  }

  get vocabSize(): number {
    return this.scales.length;
  }

  /** The normalised sum of the rows of `ids` ([CLS], [SEP] and [PAD] have scale 0 and add nothing). */
  embed(ids: Int32Array): Float32Array {
    const d = this.dims,
      vectors = this.vectors,
      scales = this.scales;
    const acc = new Float32Array(d);
    // Sorted, a token repeated n times is one row scaled by n: code repeats its identifiers (a third fewer rows).
    const sorted = Int32Array.from(ids).sort();
    for (let i = 0; i < sorted.length;) {
      const t = sorted[i];
      let n = 1;
      while (i + n < sorted.length && sorted[i + n] === t) n++;
      i += n;
      const s = t >= 0 && t < scales.length ? scales[t] * n : 0;
      if (s === 0) continue;
      const row = t * d;
      for (let j = 0; j < d; j++) acc[j] += s * vectors[row + j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += acc[j] * acc[j];
    // A text with no weighted token (blank, or only tokens the model gives no weight) still needs a unit vector
    // for the cosine index: the same fixed one for all of them, equally far from every real direction.
    if (norm === 0) return acc.fill(1 / Math.sqrt(d));
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) acc[j] *= inv;
    return acc;
  }
}
