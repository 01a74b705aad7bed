// semsearch/health and semsearch/files: what the sidebar renders. Health is also pushed (see server.ts); files
// are asked for when a group is expanded, so a large workspace's list travels only when someone looks.

import type { Connection } from 'vscode-languageserver/node';
import { FileItem, FilesParams, FilesRequest, HealthRequest } from '../../../common/protocol';
import type { IndexService } from '../workspace/indexService';
import { uriOf } from '../workspace/workspaceFolders';
import { BadParamsError } from '../workspace/workspaceSearch';
import { guarded, objectParams } from './responseErrors';

const STATUSES = ['indexed', 'skipped', 'failed'];

export function registerStatus(connection: Connection, service: IndexService): void {
  connection.onRequest(HealthRequest.type, guarded(() => service.health()));
  connection.onRequest(FilesRequest.type, guarded((params: FilesParams) => filesOf(service, objectParams<FilesParams>(params, '{folder, status, reason?}'))));
}

function filesOf(service: IndexService, params: FilesParams): FileItem[] {
  const folder = typeof params.folder === 'string' ? service.folders.find(params.folder) : undefined;
  if (!folder) throw new BadParamsError(`folder must be the URI of a workspace folder; got ${JSON.stringify(params.folder)}.`);
  if (!STATUSES.includes(params.status)) throw new BadParamsError(`status must be one of ${STATUSES.join(', ')}; got ${JSON.stringify(params.status)}.`);
  if (params.reason !== undefined && typeof params.reason !== 'string') throw new BadParamsError('reason must be a reason code such as "minified".');
  return (folder.index?.files() ?? [])
    .filter(f => f.status === params.status && (params.reason === undefined || f.reason === params.reason))
    .map(f => ({ uri: uriOf(folder, f.path), path: f.path, status: f.status, reason: f.reason, ...(f.detail ? { detail: f.detail } : {}), chunks: f.chunks }));
}
