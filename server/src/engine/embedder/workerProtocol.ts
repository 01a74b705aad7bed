// The typed RPC between the engine and an embedder worker (vscode-jsonrpc over the fork IPC channel).
// Declared once here; the pool (parent) and embedderWorker (child) both import it.

import { RequestType } from 'vscode-jsonrpc/node';

/** The codes of a worker's ResponseErrors: what went wrong on its side (the message has the one line). */
export const WorkerErrorCode = {
  /** The ONNX model would not load (damaged or not ONNX). */
  modelLoadFailed: 1,
  /** A batch came before the init request had loaded the model. */
  notLoaded: 2,
} as const;

/** A worker whose parent went away exits with this: nothing failed, there is no one left to answer. */
export const WORKER_EXIT_PARENT_GONE = 0;

export interface WorkerInitParams {
  onnxPath: string;
  /** ONNX Runtime intra-op threads; the pool keeps workers x threads <= cores. */
  intraOpThreads: number;
}

export interface WorkerInitResult {
  pid: number;
  loadMs: number;
  rssBytes: number;
}

export interface EmbedParams {
  /** All sequences' token ids back to back, little-endian int32, base64. */
  ids: string;
  /** Length of each sequence in `ids`. */
  lengths: number[];
}

export interface EmbedResult {
  /** One L2-normalised vector per sequence, back to back, little-endian float32, base64. */
  vectors: string;
  dims: number;
  rssBytes: number;
}

/** Sent by the pool once after fork: load the model into an ONNX Runtime session. */
export namespace WorkerInitRequest {
  export const method = 'embedder/init';
  export const type = new RequestType<WorkerInitParams, WorkerInitResult, void>(method);
}

/** Sent by the pool for each batch: mean-pooled, normalised embeddings of the sequences. */
export namespace EmbedRequest {
  export const method = 'embedder/embed';
  export const type = new RequestType<EmbedParams, EmbedResult, void>(method);
}

export function encodeInt32(parts: Int32Array[]): { ids: string; lengths: number[] } {
  let n = 0;
  for (const p of parts) n += p.length;
  const all = new Int32Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return { ids: Buffer.from(all.buffer, all.byteOffset, all.byteLength).toString('base64'), lengths: parts.map(p => p.length) };
}

export function decodeInt32(b64: string): Int32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function encodeFloat32(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

export function decodeFloat32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}
