// A store save that failed on the disk (full, read-only, no permission), said in one line a person can act
// on. The front doors add what happens next: the server keeps indexing and retries, the CLI exits.

export class StoreWriteError extends Error {
  /** The errno code (ENOSPC, EROFS, ...), when the system gave one. */
  readonly code?: string;

  constructor(
    readonly root: string,
    readonly dir: string,
    cause: unknown,
  ) {
    super(`Could not save the index of ${root} to ${dir}: ${writeFailureText(cause, dir)}`);
    this.code = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/** "no space left on device (ENOSPC). Free some disk space." for a write into `dir` that failed with `cause`. */
export function writeFailureText(cause: unknown, dir: string): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return `${reasonOf(cause, code)}. ${adviceFor(code, dir)}.`;
}

function reasonOf(cause: unknown, code: string | undefined): string {
  const known = code ? REASONS[code] : undefined;
  if (known) return `${known} (${code})`;
  // Node's message is "CODE: text, syscall 'path'": keep the text, the path is said already.
  const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  const text = message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return code ? `${text} (${code})` : text;
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the disk is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

function adviceFor(code: string | undefined, dir: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'Free some disk space';
    case 'EDQUOT':
      return 'Free some space within your disk quota';
    case 'EROFS':
      return `Make ${dir} writable (remount the disk read-write) or use another store folder`;
    case 'EACCES':
    case 'EPERM':
      return `Make ${dir} writable for this user or use another store folder`;
    default:
      return `Check that ${dir} is writable and the disk is healthy`;
  }
}
