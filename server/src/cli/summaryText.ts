// What `index` says on stderr: that it resumes an unfinished run, what the run changed, and that it was
// interrupted. Counts with thousands separators and singulars where they apply.

import { countText, pluralText as count } from '../../../common/progress';
import type { IndexSummary, ResumePoint } from '../engine';

/** "resuming an interrupted run: 934 chunks of 120 files saved at 13:02:11". */
export function resumeText(r: ResumePoint, now = new Date()): string {
  const what = `${count(r.chunks, 'chunk')} of ${count(r.files, 'file')}`;
  const when = timeText(new Date(r.savedAt), now);
  return r.state === 'interrupted'
    ? `resuming an interrupted run: ${what} saved at ${when}`
    : `resuming a run that ended before it finished: ${what} saved by its last checkpoint at ${when}`;
}

/** A run that changed nothing says so in one line; any other says what changed, then the details. */
export function summaryText(s: IndexSummary): string[] {
  const c = s.changes;
  if (c.added + c.changed + c.removed === 0 && !s.rebuilt)
    return [`nothing changed since the last run (${count(s.files.indexed, 'file')}, ${count(s.chunks, 'chunk')})`];
  const changed = [
    [c.added, 'added'],
    [c.changed, 'changed'],
    [c.removed, 'removed'],
    [c.unchanged, 'unchanged'],
  ]
    .filter(([n]) => n !== 0)
    .map(([n, what]) => `${countText(n as number)} ${what}`);
  const sources = [
    [s.embedded, 'embedded'],
    [s.reused, 'reused'],
    [s.cacheHits, 'from the cache'],
  ]
    .filter(([n]) => n !== 0)
    .map(([n, what]) => `${countText(n as number)} ${what}`);
  return [
    `indexed ${count(s.files.indexed, 'file')}: ${changed.join(', ') || 'none changed'}; ${count(s.chunks, 'chunk')}${sources.length ? ` (${sources.join(', ')})` : ''} in ${secondsText(s.seconds)}`,
    detailsText(s),
  ];
}

/** Skipped and failed files, speed (only when something was embedded: a rate of nothing means nothing), memory, store size. */
function detailsText(s: IndexSummary): string {
  const skippedTotal = Object.values(s.files.skipped).reduce((a, b) => a + b, 0);
  const reasons = Object.entries(s.files.skipped)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
  return [
    `skipped ${countText(skippedTotal)}${skippedTotal ? ` (${reasons})` : ''}`,
    `failed ${countText(s.files.failed)}${s.files.failed ? ' ("semsearch files" says why)' : ''}`,
    ...(s.embedded > 0 ? [`${countText(s.tokensPerSecond)} tokens/s`] : []),
    `peak RSS ${s.peakRssMB} MB`,
    `store ${(s.storeBytes / 1048576).toFixed(1)} MB`,
  ].join('; ');
}

/** The one line a stopped run ends with. */
export function interruptedText(s: IndexSummary): string {
  if (s.saveError)
    return `interrupted: nothing more could be saved (${s.saveError.replace(/\.$/, '')}); the next run resumes from the last saved index`;
  return `interrupted: ${count(s.chunks, 'chunk')} saved; run again to resume`;
}

function secondsText(seconds: number): string {
  return `${seconds < 10 ? seconds.toFixed(1) : countText(Math.round(seconds))} s`;
}

/** 13:02:11 today; 2026-12-01 13:02:11 another day. */
function timeText(at: Date, now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? time : `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${time}`;
}
