// What the IndexService's parts share (its folders, log and health) and the service's own reactions to what
// they see. The service builds it first and hands each part the slice it needs, so the parts are built in
// dependency order (locks, then jobs, then the scheduler) and none holds a callback into one built later.

import type { Logger } from './logging';
import type { WorkspaceFolder, WorkspaceFolders } from './workspaceFolders';

export interface ServiceContext {
  readonly log: Logger;
  readonly folders: WorkspaceFolders;
  /** The health may have changed (the publisher throttles). */
  healthChanged(): void;
  /** True once the model is known not to work: no job starts. */
  failed(): boolean;
  /** A model that cannot load, or an embedding endpoint that cannot answer, fails every folder alike: the
   *  service goes to its error state and stops the run rather than retry. */
  fatal(e: unknown): void;
  /** The folder's store lock was taken after another process let it go: reload its saved index and index it. */
  lockTaken(folder: WorkspaceFolder): void;
  /** The process holding the folder's store saved a newer index: reload it for searching. */
  savedByHolder(folder: WorkspaceFolder): void;
  /** The folder's lock file could not be written (read-only or full store folder), in one line; undefined once it could. */
  lockWriteChanged(folder: WorkspaceFolder, error: string | undefined): void;
}
