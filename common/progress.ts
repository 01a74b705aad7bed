// One progress model for every place a run is shown: the CLI's progress line, the status bar and the health
// view. The engine counts (files, bytes, chunks); a ProgressClock adds the time, the rates and the ETA; the
// formatters below say it in the same words everywhere. No vscode and no node imports here.

/** scanning: walking the folder (filesTotal counts the files found so far); indexing: reading, chunking,
 *  embedding; updating: following changed paths (saved, created, deleted files and folders). */
export type ProgressPhase = 'scanning' | 'indexing' | 'updating';

/** What the engine counts during a run. Work is measured in bytes: a file's cost grows with its size. */
export interface RunCounts {
  phase: ProgressPhase;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Chunks in the index so far. */
  chunks: number;
  /** Chunks this run has stored (embedded, from the cache or kept): the rate counts these. */
  chunksStored: number;
}

/** RunCounts with the clock's figures: what the health carries and every view shows. */
export interface ProgressReport extends RunCounts {
  elapsedMs: number;
  filesPerSecond: number;
  chunksPerSecond: number;
  /** Seconds left at the recent rate; absent until the rate is known (a few seconds and a few percent in). */
  etaSeconds?: number;
  /** The folder being indexed, when a run covers several. */
  folder?: string;
}

/** The rate behind the ETA is measured over about this long, so a resumed run's fast start (unchanged files
 *  pass in a blink) stops counting once real work begins. */
const RATE_WINDOW_MS = 20_000;
/** No ETA before this much time and work: the first seconds' rate says little. */
const ETA_AFTER_MS = 3_000;
const ETA_AFTER_SHARE = 0.02;

/** Turns counts into a report: elapsed time since the run began, rates, and an ETA from the recent byte rate. */
export class ProgressClock {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly startedAt = now(),
  ) {}

  report(c: RunCounts, folder?: string): ProgressReport {
    const at = this.now();
    const elapsedMs = Math.max(0, at - this.startedAt);
    const seconds = Math.max(elapsedMs / 1000, 0.001);
    // Every report's bytes, whatever its phase: a multi-root run's scanning report still counts the folders done.
    this.sample(at, c.bytesDone);
    return {
      ...c,
      elapsedMs,
      filesPerSecond: round1(c.filesDone / seconds),
      chunksPerSecond: round1(c.chunksStored / seconds),
      ...this.eta(c, elapsedMs),
      ...(folder ? { folder } : {}),
    };
  }

  private sample(at: number, bytes: number): void {
    this.samples.push({ at, bytes });
    // Keep one sample older than the window, so the window is always spanned.
    while (this.samples.length > 2 && at - this.samples[1].at > RATE_WINDOW_MS) this.samples.shift();
  }

  private eta(c: RunCounts, elapsedMs: number): { etaSeconds?: number } {
    if (c.phase !== 'indexing' || c.bytesTotal <= 0 || elapsedMs < ETA_AFTER_MS || c.bytesDone / c.bytesTotal < ETA_AFTER_SHARE) return {};
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const spanS = (last.at - first.at) / 1000;
    const rate = spanS > 0 ? (last.bytes - first.bytes) / spanS : 0;
    if (rate <= 0) return {};
    return { etaSeconds: Math.ceil(Math.max(0, c.bytesTotal - c.bytesDone) / rate) };
  }
}

/** The share of the work done, 0..1, by bytes; undefined while scanning (the total is not known yet). */
export function workShare(p: RunCounts): number | undefined {
  if (p.phase === 'scanning') return undefined;
  if (p.bytesTotal > 0) return Math.min(1, p.bytesDone / p.bytesTotal);
  return p.filesTotal > 0 ? Math.min(1, p.filesDone / p.filesTotal) : 1;
}

/** "42%", or undefined while scanning. */
export function percentText(p: RunCounts): string | undefined {
  const share = workShare(p);
  return share === undefined ? undefined : `${Math.floor(share * 100)}%`;
}

/** 0:42, 12:05, 1:02:03. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

export function countText(n: number): string {
  return n.toLocaleString('en-US');
}

export function pluralText(n: number, word: string, words = `${word}s`): string {
  return `${countText(n)} ${n === 1 ? word : words}`;
}

/** The status bar's few words: "Scanning 1,204 files", "Indexing 42% · 1:20 left", "Updating 56 files". */
export function shortProgressText(p: ProgressReport): string {
  switch (p.phase) {
    case 'scanning':
      return `Scanning ${pluralText(p.filesTotal, 'file')}`;
    // Changed paths may be folders whose files are known only once walked: the count so far, no total.
    case 'updating':
      return `Updating ${pluralText(p.filesDone, 'file')}`;
    case 'indexing':
      return `Indexing ${percentText(p)}${p.etaSeconds !== undefined ? ` · ${durationText(p.etaSeconds)} left` : ''}`;
  }
}

/** The figures, beside a word that names the phase (the view's label, the status bar's text, the CLI's
 *  "scanning:"): "1,234/5,000 files · 9,876 chunks · 210 chunks/s · 0:42 elapsed · 1:20 left". */
export function longProgressText(p: ProgressReport): string {
  const where = p.folder ? `${p.folder}: ` : '';
  const elapsed = `${durationText(p.elapsedMs / 1000)} elapsed`;
  if (p.phase === 'scanning') return `${where}${pluralText(p.filesTotal, 'file')} found · ${elapsed}`;
  const parts = [
    p.phase === 'updating'
      ? `${pluralText(p.filesDone, 'file')} followed`
      : `${countText(p.filesDone)}/${pluralText(p.filesTotal, 'file')}`,
    pluralText(p.chunks, 'chunk'),
    `${countText(Math.round(p.chunksPerSecond))} chunks/s`,
    elapsed,
    ...(p.etaSeconds !== undefined ? [`${durationText(p.etaSeconds)} left`] : []),
  ];
  return `${where}${parts.join(' · ')}`;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
