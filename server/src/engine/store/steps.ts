// Long store work (sealing a segment: sorting its terms, writing and hashing ~80 MB) cut into steps: a
// generator that yields between slices of ~10 ms. The same generator runs to its end at once (a save that
// must finish now) or a slice per turn of the event loop (a seal in the background), so a request waiting
// on the process that indexes never waits for a whole seal. A step may also yield work running on another
// thread (a graph's save on the graph thread): run now, it is waited for in place; run in turns, the event
// loop is free until it ends.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { takeTurn } from '../turns';
import { storeFs } from './storeFs';

/** Work running elsewhere: `settled` resolves when it ends (never rejects); `block()` waits for that in place. */
export interface Pending {
  readonly settled: Promise<void>;
  block(): void;
}

export type Steps<T> = Generator<Pending | void, T, void>;

/** Runs every step now. */
export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    r.value?.block();
  }
}

/** Runs one step per turn of the event loop. */
export async function runInTurns<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (r.value) await r.value.settled;
    else await takeTurn();
  }
}

/**
 * Bytes written per step. A write of a seal's 20-40 MB file in one call took 30-400 ms on this machine's
 * disk (the kernel throttles a writer once enough pages are dirty); a megabyte took at most ~18 ms.
 */
const WRITE_SLICE = 1 << 20;

/** Writes `data` to `file` through storeFs (so a full disk fails it), a slice per step. */
export function* writeInSteps(file: string, data: Uint8Array): Steps<void> {
  storeFs.writeFileSync(file, data.subarray(0, WRITE_SLICE));
  for (let at = WRITE_SLICE; at < data.length; at += WRITE_SLICE) {
    yield;
    storeFs.appendFileSync(file, data.subarray(at, at + WRITE_SLICE));
  }
}

/** Bytes hashed per step: ~5 ms. */
const SLICE = 8 << 20;

/** The sha256 of a file, read a slice per step. */
export function* sha256InSteps(file: string): Steps<string> {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SLICE);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, SLICE, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      yield;
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** `items` sorted (JavaScript's default string order), in runs of `run` sorted per step and then merged pairwise. */
export function* sortInSteps(items: string[], run = 16_384): Steps<string[]> {
  let runs: string[][] = [];
  for (let i = 0; i < items.length; i += run) {
    runs.push(items.slice(i, i + run).sort());
    yield;
  }
  while (runs.length > 1) {
    const next: string[][] = [];
    for (let i = 0; i < runs.length; i += 2) next.push(i + 1 < runs.length ? yield* merge(runs[i], runs[i + 1], run) : runs[i]);
    runs = next;
  }
  return runs[0] ?? [];
}

function* merge(a: string[], b: string[], perStep: number): Steps<string[]> {
  const out = new Array<string>(a.length + b.length);
  let i = 0,
    j = 0,
    k = 0;
  while (i < a.length || j < b.length) {
    out[k++] = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (k % perStep === 0) yield;
  }
  return out;
}
