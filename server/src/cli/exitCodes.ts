// The CLI's exit codes, one meaning each (README "The CLI"): scripts tell a bad command line from a failed
// run, and an interrupted run from both.

export const EXIT = {
  /** The command did what it was asked (an index run with failed files included: they are in the report). */
  ok: 0,
  /** It could not: a missing folder or model, a store the disk refused; one line on stderr says why. */
  failed: 1,
  /** The command line was wrong; nothing was done. */
  usage: 2,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM: 128 + the signal's number, as shells report it. */
  SIGINT: 130,
  SIGTERM: 143,
} as const;

/** A bad command line, said in one line (what is wrong, in our words); main adds where the help is. */
export class UsageError extends Error {}
