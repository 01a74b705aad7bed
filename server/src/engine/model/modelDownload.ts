// The opt-in model download: only when the user asked for it (--allow-download), only models with a pins
// table, every pinned file checked against its sha256 before it takes its final name.
//
// Files are streamed into a staging folder beside the model folder; only when every file has arrived and
// matched its pin are they renamed into <modelsDir>/<modelId>/. A failure removes the staging folder, so
// the model folder never holds a half-written or unverified file under a name the engine would load.

import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { findStaticModel } from './bundledModels';
import { defaultModelsDir, locateModel, ModelFiles, ModelNotFoundError, REQUIRED_MODEL_FILES } from './modelFiles';

export interface FilePin {
  bytes?: number;
  sha256: string;
}

/** Pins per file of one model, keyed by the file's path inside the model folder. */
export type ModelPins = Readonly<Record<string, FilePin>>;

/**
 * Models semsearch can download, with their pins (from the model's README). Files without a pin are small
 * JSON files that are parsed, never executed; they are still capped at UNPINNED_MAX_BYTES.
 */
export const KNOWN_MODEL_PINS: Readonly<Record<string, ModelPins>> = {
  'Xenova/all-MiniLM-L6-v2': {
    'onnx/model_quantized.onnx': { bytes: 22_972_370, sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1' },
  },
};

export const UNPINNED_MAX_BYTES = 32 * 1024 * 1024;
/** A download that receives nothing for this long is abandoned. */
export const STALL_TIMEOUT_MS = 60_000;

export class ModelDownloadError extends Error {}

export interface DownloadOptions {
  modelsDir: string;
  modelId: string;
  /** Folder URL the files' paths are appended to; default: SEMSEARCH_MODEL_BASE_URL or Hugging Face. */
  baseUrl?: string;
  /** The model's pins; default: its entry in KNOWN_MODEL_PINS (a model without one cannot be downloaded). */
  pins?: ModelPins;
  /** Called as each file starts (bytes = 0, with its size when known) and ends. */
  onProgress?: (p: { file: string; bytes: number; totalBytes?: number; done: boolean }) => void;
  stallTimeoutMs?: number;
  /** Fetch every file again, present or not (a damaged model); each is replaced only once all are verified. */
  replace?: boolean;
}

export function canDownload(modelId: string): boolean {
  return Object.prototype.hasOwnProperty.call(KNOWN_MODEL_PINS, modelId);
}

export function modelBaseUrl(modelId: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.SEMSEARCH_MODEL_BASE_URL || `https://huggingface.co/${modelId}/resolve/main/`;
  return base.endsWith('/') ? base : `${base}/`;
}

function fileUrl(base: string, file: string): string {
  return new URL(file.split('/').map(encodeURIComponent).join('/'), base).toString();
}

function describeFetchError(e: unknown): string {
  const err = e as Error & { cause?: Error & { code?: string } };
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError') return err.message;
  const cause = err?.cause;
  if (cause) return cause.code ? `${cause.code} (${cause.message.split('\n')[0]})` : cause.message.split('\n')[0];
  return (err?.message ?? String(e)).split('\n')[0];
}

/** Streams one file to `dest`, hashing and counting as it goes; throws a one-line ModelDownloadError. */
async function fetchFile(url: string, file: string, dest: string, pin: FilePin | undefined, opts: DownloadOptions): Promise<void> {
  const stallMs = opts.stallTimeoutMs ?? STALL_TIMEOUT_MS;
  const abort = new AbortController();
  let stall: NodeJS.Timeout | undefined;
  const armStall = () => {
    clearTimeout(stall);
    stall = setTimeout(
      () => abort.abort(new ModelDownloadError(`Downloading ${file} from ${url} stalled: nothing arrived for ${stallMs / 1000}s.`)),
      stallMs,
    );
  };
  armStall();
  try {
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'follow', signal: abort.signal });
    } catch (e) {
      if (abort.signal.reason instanceof ModelDownloadError) throw abort.signal.reason;
      throw new ModelDownloadError(`Could not download ${file} from ${url}: ${describeFetchError(e)}.`);
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      throw new ModelDownloadError(
        `Could not download ${file} from ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`,
      );
    }
    const limit = pin?.bytes ?? UNPINNED_MAX_BYTES;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    const totalBytes = pin?.bytes ?? (Number.isFinite(declared) ? declared : undefined);
    opts.onProgress?.({ file, bytes: 0, totalBytes, done: false });
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        armStall();
        bytes += chunk.length;
        if (bytes > limit) {
          cb(
            new ModelDownloadError(
              pin?.bytes !== undefined
                ? `Checksum mismatch for ${file}: expected ${pin.bytes} bytes (sha256 ${pin.sha256}), but the server sent more; the download was discarded.`
                : `${file} from ${url} is larger than ${limit} bytes, too large for a model's JSON file; the download was discarded.`,
            ),
          );
          return;
        }
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
        meter,
        fs.createWriteStream(dest, { flags: 'wx' }),
      );
    } catch (e) {
      if (e instanceof ModelDownloadError) throw e;
      if (abort.signal.reason instanceof ModelDownloadError) throw abort.signal.reason;
      throw new ModelDownloadError(`Downloading ${file} from ${url} failed: ${describeFetchError(e)}.`);
    }
    if (pin) {
      const actual = hash.digest('hex');
      if (actual !== pin.sha256.toLowerCase()) {
        throw new ModelDownloadError(
          `Checksum mismatch for ${file}: expected sha256 ${pin.sha256}, got ${actual}` +
            `${pin.bytes !== undefined && pin.bytes !== bytes ? ` (${bytes} bytes, expected ${pin.bytes})` : ''}; the download was discarded.`,
        );
      }
    }
    opts.onProgress?.({ file, bytes, totalBytes, done: true });
  } finally {
    clearTimeout(stall);
  }
}

/**
 * Downloads the model files that are missing from <modelsDir>/<modelId>/ and returns the located model.
 * Throws a one-line ModelDownloadError (nothing new left in the models folder) when any file fails.
 */
export async function downloadModel(opts: DownloadOptions): Promise<ModelFiles> {
  const pins = opts.pins ?? (canDownload(opts.modelId) ? KNOWN_MODEL_PINS[opts.modelId] : undefined);
  if (!pins) {
    throw new ModelDownloadError(
      `semsearch can only download ${Object.keys(KNOWN_MODEL_PINS).join(', ')}, not "${opts.modelId}"; put that model's files in place yourself.`,
    );
  }
  const modelsDir = path.resolve(opts.modelsDir || defaultModelsDir());
  const dir = path.join(modelsDir, ...opts.modelId.split('/'));
  const missing = opts.replace ? REQUIRED_MODEL_FILES : REQUIRED_MODEL_FILES.filter(f => !fs.existsSync(path.join(dir, ...f.split('/'))));
  if (missing.length === 0) return locateModel(modelsDir, opts.modelId);
  const base = opts.baseUrl ?? modelBaseUrl(opts.modelId);

  const createdModelsDir = fs.mkdirSync(modelsDir, { recursive: true });
  const staging = path.join(modelsDir, `.semsearch-download-${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(staging);
  try {
    for (const file of missing) {
      const dest = path.join(staging, ...file.split('/'));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      await fetchFile(fileUrl(base, file), file, dest, pins[file], opts);
    }
    // Every file arrived and matched its pin: give each its final name (rename is atomic per file).
    for (const file of missing) {
      const final = path.join(dir, ...file.split('/'));
      fs.mkdirSync(path.dirname(final), { recursive: true });
      fs.renameSync(path.join(staging, ...file.split('/')), final);
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    // A models folder made just for this attempt goes too, so a failure leaves the disk as it was.
    if (createdModelsDir) removeEmptyFolders(modelsDir, createdModelsDir);
    throw e;
  }
  fs.rmSync(staging, { recursive: true, force: true });
  return locateModel(modelsDir, opts.modelId);
}

/** Removes `from` and its parents up to `upTo` while they are empty. */
function removeEmptyFolders(from: string, upTo: string): void {
  for (let d = from; ; d = path.dirname(d)) {
    try {
      fs.rmdirSync(d);
    } catch {
      return;
    }
    if (d === upTo || d === path.dirname(d)) return;
  }
}

/**
 * The ONNX model's files, downloading them first when they are missing and the user allowed that. Without
 * permission, the missing-model error also says how to download it (for models semsearch knows how to fetch).
 * A static model (the embedded default included) is there already: nothing to fetch, undefined.
 */
export async function ensureModel(
  modelsDir: string,
  modelId: string,
  allowDownload: boolean,
  log: (line: string) => void = () => {},
  howToAllow = 'run again with --allow-download',
): Promise<ModelFiles | undefined> {
  if (findStaticModel(modelsDir, modelId)) return undefined;
  try {
    return locateModel(modelsDir, modelId);
  } catch (e) {
    if (!(e instanceof ModelNotFoundError)) throw e;
    if (!allowDownload) {
      if (!canDownload(modelId)) throw e;
      throw new ModelNotFoundError(
        `${e.message.replace(/\.$/, '')}; or ${howToAllow} to fetch it once from ${new URL(modelBaseUrl(modelId)).host} (checksum-verified).`,
      );
    }
    if (!canDownload(modelId))
      throw new ModelDownloadError(
        `${e.message.replace(/\.$/, '')}; semsearch can only download ${Object.keys(KNOWN_MODEL_PINS).join(', ')}.`,
      );
    log(`semsearch: downloading model ${modelId} from ${modelBaseUrl(modelId)} …`);
    const model = await downloadModel({
      modelsDir,
      modelId,
      onProgress: p => {
        if (p.done) log(`  ${p.file}: ${(p.bytes / 1048576).toFixed(1)} MB${KNOWN_MODEL_PINS[modelId][p.file] ? ', sha256 verified' : ''}`);
      },
    });
    log(`semsearch: model saved in ${model.dir}`);
    return model;
  }
}
