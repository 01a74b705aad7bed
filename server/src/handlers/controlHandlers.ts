// semsearch/reindex and semsearch/pause: the sidebar's title buttons; semsearch/downloadModel: the missing
// model's fix; semsearch/embeddingApiKey: the key the client keeps in SecretStorage. Each answers once the
// request is taken into account (pause: once embedding has stopped;
// download: once the model is saved and loading); the health notification shows what follows.

import type { Connection, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { DownloadModelRequest, EmbeddingApiKeyRequest, PauseRequest, ReindexRequest } from '../../../common/protocol';
import type { IndexService } from '../workspace/indexService';
import { BadParamsError } from '../workspace/serviceErrors';
import { guarded, objectParams, optionalObjectParams } from './responseErrors';

export function registerControls(connection: Connection, service: IndexService): void {
  connection.onRequest(
    ReindexRequest.type,
    guarded((params: { folder?: string } | null) => {
      const uri = optionalObjectParams<{ folder?: unknown }>(params, '{folder?}')?.folder;
      if (uri === undefined || uri === null) return service.reindex();
      const folder = typeof uri === 'string' ? service.folders.find(uri) : undefined;
      if (!folder) throw new BadParamsError(`folder must be the URI of a workspace folder; got ${JSON.stringify(uri)}.`);
      service.reindex([folder]);
    }),
  );
  connection.onRequest(
    PauseRequest.type,
    guarded((params: { paused: boolean }) => {
      const { paused } = objectParams<{ paused: unknown }>(params, '{paused: boolean}');
      if (typeof paused !== 'boolean')
        throw new BadParamsError(`Expected parameters {paused: boolean}; got paused: ${JSON.stringify(paused)}.`);
      return service.setPaused(paused);
    }),
  );
  connection.onRequest(
    EmbeddingApiKeyRequest.type,
    guarded((params: { key: string }) => {
      const { key } = objectParams<{ key: unknown }>(params, '{key: string}');
      if (typeof key !== 'string') throw new BadParamsError('Expected parameters {key: string}.');
      return service.setEmbeddingApiKey(key);
    }),
  );
  // Progress goes to the client's work-done token: the notification the user started the download from.
  connection.onRequest(
    DownloadModelRequest.type,
    guarded(async (_params: unknown, _token: unknown, workDone?: WorkDoneProgressReporter) => {
      workDone?.begin('Downloading the model', 0, undefined, false);
      try {
        await service.downloadModel(message => workDone?.report(message));
      } finally {
        workDone?.done();
      }
    }),
  );
}
