// Every file write, rename and removal a store save makes goes through `storeFs`, so tests can make the disk
// fail (full, read-only) with a real errno code: the tests run as root, for whom chmod does not stop writes.
//
// Two seams, both for tests only:
// - setStoreFsForTests() replaces functions in-process (unit tests);
// - SEMSEARCH_TEST_STORE_FAULT_FILE=<path> names a file that, while it exists, holds an errno code ("ENOSPC",
//   "EROFS", ...) every store write then fails with. It reaches a child process (the CLI, the language
//   server), and deleting the file "frees the disk". Unset, it costs one env lookup per write.

import * as fs from 'node:fs';
import type { RemoteGraph, ThreadCall } from './remoteGraph';

export interface StoreFs {
  writeFileSync(file: string, data: string | Uint8Array): void;
  /** Adds to a file a writeFileSync made: a large file written a slice per step (steps.ts, writeInSteps). */
  appendFileSync(file: string, data: string | Uint8Array): void;
  renameSync(from: string, to: string): void;
  /**
   * A segment's graph is written by native code (usearch) on the graph thread; a short write is caught when
   * it is mapped (ActiveSegment.checkGraphSteps).
   */
  saveGraph(graph: RemoteGraph, file: string): ThreadCall;
  removeSync(file: string): void;
}

const realStoreFs: StoreFs = {
  writeFileSync: (file, data) => fs.writeFileSync(file, data),
  appendFileSync: (file, data) => fs.appendFileSync(file, data),
  renameSync: (from, to) => fs.renameSync(from, to),
  saveGraph: (graph, file) => graph.save(file),
  removeSync: file => fs.rmSync(file, { force: true }),
};

let current: StoreFs = realStoreFs;

/** The store's file operations, with the fault file's error injected when one is set. */
export const storeFs: StoreFs = {
  writeFileSync: (file, data) => {
    injectedFault(file);
    current.writeFileSync(file, data);
  },
  appendFileSync: (file, data) => {
    injectedFault(file);
    current.appendFileSync(file, data);
  },
  renameSync: (from, to) => {
    injectedFault(to);
    current.renameSync(from, to);
  },
  saveGraph: (graph, file) => {
    injectedFault(file);
    return current.saveGraph(graph, file);
  },
  removeSync: file => current.removeSync(file),
};

/** Test only: replaces some of the store's file operations until the returned function is called. */
export function setStoreFsForTests(overrides: Partial<StoreFs>): () => void {
  const previous = current;
  current = { ...realStoreFs, ...overrides };
  return () => {
    current = previous;
  };
}

/** An error shaped like the one Node throws for a failed system call, for fault injection. */
export function errnoError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: ${ERRNO_TEXT[code] ?? 'simulated failure'}, ${syscall} '${file}'`);
  e.code = code;
  e.syscall = syscall;
  e.path = file;
  return e;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'i/o error',
};

function injectedFault(file: string): void {
  const flag = process.env.SEMSEARCH_TEST_STORE_FAULT_FILE;
  if (!flag) return;
  let code: string;
  try {
    code = fs.readFileSync(flag, 'utf8').trim();
  } catch {
    return;
  } // no file: the disk is fine again
  if (code) throw errnoError(code, 'write', file);
}
