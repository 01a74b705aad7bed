// semsearch/health, semsearch/files and semsearch/fileTree: what the sidebar renders. Health is also pushed
// (see server.ts); files are asked for a level at a time when a group or folder is expanded, so a large
// workspace's list travels only when someone looks, and only the part they look at.

import type { Connection } from 'vscode-languageserver/node';
import { FileItem, FilesParams, FilesRequest, FileTreeParams, FileTreeRequest, HealthRequest } from '../../../common/protocol';
import { treeLevel } from '../workspace/fileTree';
import type { IndexService } from '../workspace/indexService';
import type { FileReport } from '../engine';
import { uriOf, type WorkspaceFolder } from '../workspace/workspaceFolders';
import { BadParamsError } from '../workspace/serviceErrors';
import { guarded, objectParams } from './responseErrors';

const STATUSES = ['indexed', 'skipped', 'failed'];

export function registerStatus(connection: Connection, service: IndexService): void {
  connection.onRequest(
    HealthRequest.type,
    guarded(() => service.health()),
  );
  connection.onRequest(
    FilesRequest.type,
    guarded((params: FilesParams) => {
      const { folder, reports } = reportsOf(service, objectParams<FilesParams>(params, '{folder, status, reason?}'));
      return reports.map(r => fileItem(folder, r));
    }),
  );
  connection.onRequest(
    FileTreeRequest.type,
    guarded((params: FileTreeParams) => {
      const { dir } = objectParams<FileTreeParams>(params, '{folder, status, reason?, dir}');
      if (typeof dir !== 'string' || dir.endsWith('/'))
        throw new BadParamsError(`dir must be a folder path such as "src/util" ('' for the top); got ${JSON.stringify(dir)}.`);
      // The level first, then the items: only the rows shown get their URIs built (70,000 reports on a big repo).
      const { folder, reports } = reportsOf(service, params);
      const level = treeLevel(reports, dir);
      return { dirs: level.dirs, files: level.files.map(r => fileItem(folder, r)) };
    }),
  );
}

/** The folder's reports of one status (and reason), after checking the parameters. */
function reportsOf(service: IndexService, params: FilesParams): { folder: WorkspaceFolder; reports: FileReport[] } {
  const folder = typeof params.folder === 'string' ? service.folders.find(params.folder) : undefined;
  if (!folder) throw new BadParamsError(`folder must be the URI of a workspace folder; got ${JSON.stringify(params.folder)}.`);
  if (!STATUSES.includes(params.status))
    throw new BadParamsError(`status must be one of ${STATUSES.join(', ')}; got ${JSON.stringify(params.status)}.`);
  if (params.reason !== undefined && typeof params.reason !== 'string')
    throw new BadParamsError('reason must be a reason code such as "minified".');
  const reports = (folder.index?.files() ?? []).filter(
    f => f.status === params.status && (params.reason === undefined || f.reason === params.reason),
  );
  return { folder, reports };
}

function fileItem(folder: WorkspaceFolder, f: FileReport): FileItem {
  return {
    uri: uriOf(folder, f.path),
    path: f.path,
    status: f.status,
    reason: f.reason,
    ...(f.detail ? { detail: f.detail } : {}),
    chunks: f.chunks,
  };
}
