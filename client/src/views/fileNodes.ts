import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FilesRequest, type FileItem, type FilesParams } from '../../../common/protocol';
import { errorMessage } from '../log';
import type { HealthNode } from './healthNodes';
import { count, reasonLabel } from './healthFormat';

/** A group of thousands of files is not browsable in a tree anyway; past this the row says how many more. */
const MAX_ROWS = 1000;

/** Fetches a group's files (FilesRequest) only when it is expanded, and again only when its count changed
 *  or a run finished, so pushed health updates do not refetch every open group. */
export class FileLister {
  private readonly cache = new Map<string, { total: number; rows: Promise<HealthNode[]> }>();

  constructor(private readonly client: LanguageClient, private readonly log: vscode.LogOutputChannel) {}

  list(parentId: string, params: FilesParams & { total: number }): Promise<HealthNode[]> {
    const cached = this.cache.get(parentId);
    if (cached && cached.total === params.total) return cached.rows;
    const rows = this.fetch(parentId, params);
    this.cache.set(parentId, { total: params.total, rows });
    return rows;
  }

  invalidate(): void { this.cache.clear(); }

  private async fetch(parentId: string, { total: _total, ...params }: FilesParams & { total: number }): Promise<HealthNode[]> {
    try {
      const files = await this.client.sendRequest(FilesRequest.type, params);
      const rows = files.slice(0, MAX_ROWS).map(file => fileNode(parentId, file));
      if (files.length > MAX_ROWS) rows.push({ id: `${parentId}/more`, label: `${count(files.length - MAX_ROWS)} more files`, icon: 'ellipsis' });
      if (rows.length === 0) rows.push({ id: `${parentId}/none`, label: 'No files' });
      return rows;
    } catch (error) {
      this.cache.delete(parentId);
      this.log.error(`Listing ${params.status} files failed: ${errorMessage(error)}`);
      return [{ id: `${parentId}/error`, label: 'Could not list the files', description: errorMessage(error), icon: 'error' }];
    }
  }
}

function fileNode(parentId: string, file: FileItem): HealthNode {
  const slash = file.path.lastIndexOf('/');
  const name = file.path.slice(slash + 1);
  const dir = slash > 0 ? file.path.slice(0, slash) : '';
  const why = file.detail ? `${reasonLabel(file.reason)}: ${file.detail}` : reasonLabel(file.reason);
  // A failed file leads with why it failed; elsewhere the folder tells same-named files apart.
  const description = file.status === 'failed' ? why
    : file.status === 'indexed' ? [dir, `${file.chunks} chunks`].filter(Boolean).join(' · ')
    : dir;
  return {
    id: `${parentId}/${file.path}`, label: name, description, file,
    tooltip: file.status === 'indexed' ? `${file.path}\n${file.chunks} chunks` : `${file.path}\n${why}`,
  };
}
