// Waiting in the e2e suite: on the extension's pushed health (never a sleep), or, where there is no event to
// wait on, on a condition checked until a deadline.

import type { Health } from '../../../common/protocol';
import type { SemanticSearchApi } from '../../../client/src/api';

/** A one-line summary of a health, for failure messages. */
export function describeHealth(h: Health | undefined): string {
  if (!h) return 'no health yet';
  const folders = h.folders
    .map(
      f =>
        `${f.name}: ${f.files.indexed} indexed, skipped ${JSON.stringify(f.files.skipped)}, ${f.files.failed} failed, ${f.chunks} chunks`,
    )
    .join('; ');
  const workers = h.workers.map(w => `${w.pid}:${w.batches}b/${w.restarts}r`).join(' ');
  return (
    `state=${h.state}${h.message ? ` (${h.message})` : ''}${h.progress ? ` ${h.progress.phase} ${h.progress.filesDone}/${h.progress.filesTotal}` : ''}` +
    ` chunks=${h.chunks} vectors=${h.vectors} cache=${h.cache.hits}h/${h.cache.misses}m workers=[${workers}] model=${h.model.id} [${folders}]`
  );
}

/**
 * Resolves with the first health (the current one, or a pushed one) that satisfies `done`, which may ask the
 * server more (it is run for one health at a time, the newest). Rejects at the deadline with the last health
 * seen, and at once when the server reports an error it cannot leave by itself (unless `errorEndsWait` is false:
 * a server that died reports an error until the client has restarted it).
 */
export function waitForHealth(
  api: SemanticSearchApi,
  what: string,
  done: (h: Health) => boolean | Promise<boolean>,
  timeoutMs = 180_000,
  errorEndsWait = true,
): Promise<Health> {
  return new Promise((resolve, reject) => {
    let last = api.health();
    let settled = false;
    let checking = false;
    let queued: Health | undefined;
    const finish = (error?: Error, h?: Health) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sub.dispose();
      if (error) reject(error);
      else resolve(h!);
    };
    const check = async (h: Health | undefined) => {
      if (!h || settled) return;
      last = h;
      if (checking) {
        queued = h;
        return;
      }
      checking = true;
      try {
        if (await done(h)) return finish(undefined, h);
        if (h.state === 'error' && errorEndsWait)
          return finish(new Error(`waiting for ${what}: the index reports an error: ${describeHealth(h)}`));
      } catch (error) {
        return finish(error instanceof Error ? error : new Error(String(error)));
      } finally {
        checking = false;
      }
      const next = queued;
      queued = undefined;
      if (next) await check(next);
    };
    const timer = setTimeout(
      () => finish(new Error(`waiting for ${what}: not within ${timeoutMs / 1000} s; last health: ${describeHealth(last)}`)),
      timeoutMs,
    );
    const sub = api.onDidChangeHealth(h => void check(h));
    void check(last);
  });
}

/** Polls `probe` until it returns a value other than undefined/false, or fails at the deadline with `what`. */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waiting for ${what}: not within ${timeoutMs / 1000} s`);
    await new Promise(r => setTimeout(r, everyMs));
  }
}

/** `promise`, or a rejection naming `what` once `ms` pass. */
export function withDeadline<T>(what: string, promise: PromiseLike<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    Promise.resolve(promise).then(
      v => {
        clearTimeout(timer);
        resolve(v);
      },
      e => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export const totalBatches = (h: Health) => h.workers.reduce((n, w) => n + w.batches, 0);
