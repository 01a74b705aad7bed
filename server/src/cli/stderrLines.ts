// Lines for the user on stderr (stdout holds only results). `say` is for notes and errors, prefixed so they
// stand out in a script's log; `tell` for the run's own story: resuming, the summary, an interruption.

export function say(line: string): void {
  process.stderr.write(`semsearch: ${line}\n`);
}

export function tell(line: string): void {
  process.stderr.write(`${line}\n`);
}
