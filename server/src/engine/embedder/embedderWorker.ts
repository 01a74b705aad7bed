// Entry point of an embedder worker process, forked by EmbedderPool. It holds one ONNX session and answers
// embed requests one at a time. It exits when its parent goes away, so no orphan keeps a core busy.

import { createMessageConnection, IPCMessageReader, IPCMessageWriter, ResponseError } from 'vscode-jsonrpc/node';
import { damagedOnnxMessage } from '../model/modelFiles';
import { OnnxEmbedder } from './onnxEmbedder';
import { decodeInt32, EmbedRequest, encodeFloat32, WORKER_EXIT_PARENT_GONE, WorkerErrorCode, WorkerInitRequest } from './workerProtocol';

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
let embedder: OnnxEmbedder | undefined;

connection.onRequest(WorkerInitRequest.type, async params => {
  const t0 = performance.now();
  try {
    embedder = await OnnxEmbedder.load(params.onnxPath, params.intraOpThreads);
  } catch (e) {
    throw new ResponseError(WorkerErrorCode.modelLoadFailed, damagedOnnxMessage(params.onnxPath, e));
  }
  return { pid: process.pid, loadMs: performance.now() - t0, rssBytes: process.memoryUsage.rss() };
});

connection.onRequest(EmbedRequest.type, async params => {
  if (!embedder) throw new ResponseError(WorkerErrorCode.notLoaded, 'The embedder worker got a batch before its model was loaded.');
  const all = decodeInt32(params.ids);
  const seqs: Int32Array[] = [];
  let o = 0;
  for (const n of params.lengths) {
    seqs.push(all.subarray(o, o + n));
    o += n;
  }
  const { vectors, dims } = await embedder.embed(seqs);
  return { vectors: encodeFloat32(vectors), dims, rssBytes: process.memoryUsage.rss() };
});

process.on('disconnect', () => process.exit(WORKER_EXIT_PARENT_GONE));
// A Ctrl-C in a terminal (or a SIGTERM sent to the process group, as a service manager does) reaches the
// workers too: the parent decides what it means (the CLI lets the batches in flight finish and saves them),
// and a worker ends when the parent disconnects. The pool itself stops workers with SIGKILL.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
connection.listen();
