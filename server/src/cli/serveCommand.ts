// `semsearch serve`: this machine's embedding backend (the built-in model, or whatever the settings choose)
// behind an OpenAI-compatible /v1/embeddings, so a team can embed on one strong machine. It listens on
// loopback unless --host says otherwise (then it warns), prints where it listens on stdout, and on SIGINT or
// SIGTERM finishes the requests in progress and exits 130 / 143; a second signal exits at once.

import { batchTimeoutFromEnv, defaultWorkerScript, openBackend } from '../engine';
import { startEmbeddingsServer, type RunningServer } from '../serve/embeddingsServer';
import { EXIT } from './exitCodes';
import type { Interrupts } from './interrupts';
import { embeddingApiKeyFromEnv, prepareModel } from './openEngine';
import type { CommandOptions } from './ownOptions';
import { DEFAULT_CONCURRENCY, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_QUEUE, type ServeOptionValues } from './serveOptions';
import { settingsFromOptions } from './settingOptions';
import { say } from './stderrLines';

export async function runServe(opts: CommandOptions & ServeOptionValues, interrupts: Interrupts): Promise<number> {
  const settings = settingsFromOptions('serve', opts);
  await prepareModel(settings, Boolean(opts.allowDownload));
  const backend = await openBackend(
    settings,
    { workerScript: defaultWorkerScript(), batchTimeoutMs: batchTimeoutFromEnv() },
    embeddingApiKeyFromEnv(),
  );
  const host = opts.host ?? DEFAULT_HOST;
  const port = opts.port ?? DEFAULT_PORT;
  let server: RunningServer;
  try {
    server = await startEmbeddingsServer({
      backend,
      modelNames: settings.embeddingEndpoint ? [backend.modelId] : [backend.modelId, settings.modelId],
      host,
      port,
      batchSize: settings.batchSize,
      poolSize: settings.poolSize,
      memoryLimitMB: settings.workerMemoryLimitMB,
      concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
      queue: opts.queue ?? DEFAULT_QUEUE,
      token: opts.token ?? (process.env.SEMSEARCH_SERVE_TOKEN || undefined),
    });
  } catch (e) {
    await backend.stop();
    throw new Error(listenFailure(e as NodeJS.ErrnoException, host, port));
  }
  const where = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}/v1`;
  if (!isLoopback(host)) {
    say(
      `listening on ${host}, not only this machine: whoever reaches port ${server.port} can send text to embed${opts.token || process.env.SEMSEARCH_SERVE_TOKEN ? '' : ' (no --token is set)'}; use the default ${DEFAULT_HOST} to keep it local.`,
    );
  }
  process.stdout.write(`semsearch serve: listening on ${where} (model ${backend.modelId}, ${backend.dims} dimensions)\n`);
  await interrupts.stoppable(signal => new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), { once: true })));
  say('stopping: finishing the requests in progress (a second Ctrl-C stops at once)');
  await server.close();
  return interrupts.exitCode ?? EXIT.ok;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function listenFailure(e: NodeJS.ErrnoException, host: string, port: number): string {
  if (e.code === 'EADDRINUSE') return `port ${port} on ${host} is in use; stop what holds it or give another --port (0 picks a free one).`;
  if (e.code === 'EACCES') return `port ${port} on ${host} needs privileges this process lacks; give a --port above 1023.`;
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
    return `${host} is not an address of this machine; give --host one of its addresses (0.0.0.0 for all).`;
  return `could not listen on ${host}:${port} (${e.message}); give another --host or --port.`;
}
