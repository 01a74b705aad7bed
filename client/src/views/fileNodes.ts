import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FileTreeRequest, type FileItem, type FileTreeParams } from '../../../common/protocol';
import { errorMessage } from '../log';
import type { HealthNode } from './healthNodes';
import { count, plural, reasonLabel } from './healthFormat';

/** One folder holding thousands of files directly is not browsable in a tree anyway; past this the row says how many more. */
const MAX_ROWS = 1000;

/** Fetches a level of a group's folder tree (FileTreeRequest) only when it is expanded, and again only when
 *  the group's count changed or a run finished, so pushed health updates do not refetch every open level. */
export class FileLister {
  private readonly cache = new Map<string, { total: number; rows: Promise<HealthNode[]> }>();

  constructor(
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  list(parentId: string, params: FileTreeParams & { total: number }): Promise<HealthNode[]> {
    const cached = this.cache.get(parentId);
    if (cached && cached.total === params.total) return cached.rows;
    const rows = this.fetch(parentId, params);
    this.cache.set(parentId, { total: params.total, rows });
    return rows;
  }

  invalidate(): void {
    this.cache.clear();
  }

  private async fetch(parentId: string, { total, ...params }: FileTreeParams & { total: number }): Promise<HealthNode[]> {
    try {
      const level = await this.client.sendRequest(FileTreeRequest.type, params);
      const dirs = level.dirs.map((d): HealthNode => ({
        id: `${parentId}/${d.path}/`,
        label: d.path.slice(params.dir ? params.dir.length + 1 : 0),
        description: plural(d.files, 'file'),
        icon: 'folder',
        // The group's total keys the cache of the levels below, so they refresh together with it.
        files: { ...params, dir: d.path, total },
        contextValue: 'fileFolder',
        tooltip: d.path,
      }));
      const rows = [...dirs, ...level.files.slice(0, MAX_ROWS).map(file => fileNode(parentId, file))];
      if (level.files.length > MAX_ROWS)
        rows.push({ id: `${parentId}/more`, label: `${count(level.files.length - MAX_ROWS)} more files`, icon: 'ellipsis' });
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
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  const why = file.detail ? `${reasonLabel(file.reason)}: ${file.detail}` : reasonLabel(file.reason);
  // A failed or skipped file says why; an indexed one how many chunks it gave.
  const description = file.status === 'indexed' ? plural(file.chunks, 'chunk') : (file.detail ?? '');
  return {
    id: `${parentId}/${file.path}`,
    label: name,
    description,
    file,
    tooltip: file.status === 'indexed' ? `${file.path}\n${plural(file.chunks, 'chunk')}` : `${file.path}\n${why}`,
  };
}
