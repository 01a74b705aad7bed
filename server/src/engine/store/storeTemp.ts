// Store files are written whole under a temp name, then renamed: a reader never sees half a file.

/** The temp name a store file is written under before its rename (one per process, so writers never share). */
export function tempNameOf(file: string): string {
  return `${file}.${process.pid}.tmp`;
}
