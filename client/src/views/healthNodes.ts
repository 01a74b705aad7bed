// The health view's rows, built from one Health object. Ids are stable across refreshes so VS Code keeps
// what the user expanded while pushed notifications re-render the tree. File groups (indexed, skipped for a
// reason, failed for a reason) open as folder trees, a level at a time (FileTreeRequest).
import type { FileItem, FileTreeParams, FolderHealth, Health } from '../../../common/protocol';
import { count, megabytes, percent, plural, reasonLabel, stateText } from './healthFormat';

export interface HealthNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  iconColor?: string;
  /** Rows known now. */
  children?: HealthNode[];
  expanded?: boolean;
  /** A level of files fetched with FileTreeRequest when expanded; `total` lets the file cache notice a change. */
  files?: FileTreeParams & { total: number };
  /** A file row: a click opens it. */
  file?: FileItem;
  contextValue?: string;
}

/** No rows while the model is the problem: the view's welcome content then offers the fixes. */
export function buildNodes(health: Health | undefined): HealthNode[] {
  if (health?.problem) return [];
  const state = stateText(health);
  const nodes: HealthNode[] = [
    {
      id: 'state',
      label: state.label,
      description: state.description,
      icon: state.icon,
      iconColor: state.color,
      tooltip: health?.state === 'error' ? health.message : state.description,
    },
  ];
  if (!health) return nodes;
  const multiRoot = health.folders.length > 1;
  for (const folder of health.folders) {
    const rows = folderRows(folder);
    // One folder: its rows at the top level; several: a row per folder (multi-root).
    if (multiRoot)
      nodes.push({
        id: `folder:${folder.uri}`,
        label: folder.name,
        description: `${plural(folder.files.indexed, 'file')} indexed`,
        icon: 'root-folder',
        children: rows,
        expanded: true,
        contextValue: 'folder',
        tooltip: folder.uri,
      });
    else nodes.push(...rows);
  }
  nodes.push(
    {
      id: 'chunks',
      label: 'Chunks',
      description: `${plural(health.chunks, 'chunk')}, ${plural(health.vectors, 'vector')}`,
      icon: 'symbol-array',
    },
    cacheNode(health),
    lastRunNode(health),
    workersNode(health),
    {
      id: 'model',
      label: 'Model',
      description: health.model.dims ? `${health.model.id} (${health.model.dims} dimensions)` : 'not loaded',
      icon: 'hubot',
      tooltip: health.model.dims
        ? `${health.model.id}: ${health.model.dims} dimensions, ${health.model.maxChunkTokens} tokens per chunk`
        : undefined,
    },
    // Where chunks go, said wherever the model is: only an embedding endpoint sends them off the machine.
    health.model.sendsChunksTo
      ? {
          id: 'sendsTo',
          label: 'Chunks sent to',
          description: health.model.sendsChunksTo,
          icon: 'cloud-upload',
          tooltip: `Every chunk's text is sent to ${health.model.sendsChunksTo} to be embedded (the embeddingEndpoint setting).`,
        }
      : { id: 'sendsTo', label: 'Chunks sent to', description: 'nowhere: embedded on this machine', icon: 'lock' },
  );
  return nodes;
}

function folderRows(folder: FolderHealth): HealthNode[] {
  const id = `folder:${folder.uri}`;
  const skippedTotal = Object.values(folder.files.skipped).reduce((a, b) => a + b, 0);
  const group = (status: FileTreeParams['status'], reason: string | undefined, total: number): HealthNode['files'] => ({
    folder: folder.uri,
    status,
    ...(reason === undefined ? {} : { reason }),
    dir: '',
    total,
  });
  const byReason = (status: 'skipped' | 'failed', counts: Record<string, number>): HealthNode[] =>
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => ({
        id: `${id}/${status}/${reason}`,
        label: reasonLabel(reason),
        description: plural(n, 'file'),
        files: group(status, reason, n),
      }));
  // Another window or the CLI writes this folder's store: it is searched as saved, and indexed once free.
  const locked: HealthNode[] = folder.lockedBy
    ? [
        {
          id: `${id}/locked`,
          label: 'Read-only',
          icon: 'lock',
          description: `another process (pid ${folder.lockedBy.pid}) is indexing it`,
          tooltip: `Held since ${new Date(folder.lockedBy.since).toLocaleString()}; searches use the saved index, and indexing resumes here once it is free.`,
        },
      ]
    : [];
  // The store could not be written (full disk, read-only folder): the index lives on in memory and the write is retried.
  const unsaved: HealthNode[] = folder.storeError
    ? [
        {
          id: `${id}/storeError`,
          label: 'Not saved',
          icon: 'warning',
          iconColor: 'problemsWarningIcon.foreground',
          description: folder.storeError,
          tooltip: folder.storeError,
        },
      ]
    : [];
  // The saved index could not be used (another model, a damaged file), so this run embeds everything: say why.
  const rebuilt: HealthNode[] = folder.rebuilt
    ? [
        {
          id: `${id}/rebuilt`,
          label: 'Rebuilt',
          icon: 'history',
          description: folder.rebuilt,
          tooltip: folder.rebuilt,
        },
      ]
    : [];
  const failed = folder.files.failedReasons ?? {};
  return [
    ...locked,
    ...unsaved,
    ...rebuilt,
    {
      id: `${id}/indexed`,
      label: 'Indexed',
      description: `${plural(folder.files.indexed, 'file')}, ${plural(folder.chunks, 'chunk')}`,
      icon: 'check',
      files: group('indexed', undefined, folder.files.indexed),
    },
    {
      id: `${id}/skipped`,
      label: 'Skipped',
      description: plural(skippedTotal, 'file'),
      icon: 'circle-slash',
      children: byReason('skipped', folder.files.skipped),
    },
    {
      id: `${id}/failed`,
      label: 'Failed',
      description: plural(folder.files.failed, 'file'),
      icon: folder.files.failed ? 'warning' : 'check',
      children: byReason('failed', failed),
    },
    {
      id: `${id}/disk`,
      label: 'On disk',
      description: megabytes(folder.storeBytes),
      icon: 'save',
      tooltip: folder.chunks ? `${count(Math.round(folder.storeBytes / folder.chunks))} bytes per chunk` : undefined,
    },
  ];
}

/** The hit rate means something only once something was found in the cache (never on a first run). */
function cacheNode(health: Health): HealthNode {
  const { hits, misses, hitRate, entries } = health.cache;
  return {
    id: 'cache',
    label: 'Cache',
    icon: 'database',
    description: hits > 0 ? `${percent(hitRate)} hit rate, ${plural(entries, 'entry', 'entries')}` : plural(entries, 'entry', 'entries'),
    tooltip: `${plural(hits, 'hit')}, ${plural(misses, 'miss', 'misses')}, ${plural(entries, 'entry', 'entries')}`,
  };
}

function lastRunNode(health: Health): HealthNode {
  const run = health.lastRun;
  if (!run) return { id: 'lastRun', label: 'Last run', description: 'none yet', icon: 'dashboard' };
  return {
    id: 'lastRun',
    label: 'Last run',
    icon: 'dashboard',
    description: `${count(run.chunksPerSecond)} chunks/s: ${plural(run.embedded, 'chunk')} embedded in ${run.seconds.toFixed(1)} s`,
    tooltip: `${plural(run.embedded, 'chunk')} embedded, ${plural(run.tokens, 'token')} in ${run.seconds.toFixed(1)} s (${count(run.tokensPerSecond)} tokens/s); finished ${new Date(run.finishedAt).toLocaleString()}`,
  };
}

function workersNode(health: Health): HealthNode {
  return {
    id: 'workers',
    label: 'Embedder workers',
    icon: 'server-process',
    expanded: true,
    description: health.model.inProcess ? 'none: the model runs in the language server' : String(health.workers.length),
    children: health.workers.map((w, i) => ({
      id: `workers/${i}`,
      label: `pid ${w.pid}`,
      icon: 'pulse',
      description: `${Math.round(w.rssMB)} MB, ${plural(w.batches, 'batch', 'batches')}, ${plural(w.restarts, 'restart')}`,
      tooltip: w.lastRestartReason ? `Last restart: ${w.lastRestartReason}` : 'Never restarted',
    })),
  };
}
