// semsearch/search: the Quick Pick's queries. Stale requests are cancelled by the client; a cancelled one stops
// before matching the remaining folders.

import type { Connection } from 'vscode-languageserver/node';
import { SearchParams, SearchRequest } from '../../../common/protocol';
import type { IndexService } from '../workspace/indexService';
import { searchWorkspace } from '../workspace/workspaceSearch';
import { guarded, objectParams } from './responseErrors';

export function registerSearch(connection: Connection, service: IndexService): void {
  // Positional parameters are spread into the arguments, so `token` may be anything a client sent.
  connection.onRequest(
    SearchRequest.type,
    guarded((params: SearchParams, token) =>
      searchWorkspace(
        service,
        objectParams<SearchParams>(params, '{query, k, folder?, glob?}'),
        () => token?.isCancellationRequested === true,
      ),
    ),
  );
}
