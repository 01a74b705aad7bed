#!/usr/bin/env node
// The semsearch command line: a thin door onto the engine. Results go to stdout; progress and errors to
// stderr, each error one line. Exit codes: exitCodes.ts.

import { CommanderError } from 'commander';
import { BadQueryError } from '../engine';
import { unknownCommand, usageErrorOf } from './commandLineErrors';
import { EXIT, UsageError } from './exitCodes';
import { runFiles } from './filesCommand';
import { runIndex } from './indexCommand';
import { Interrupts } from './interrupts';
import { runMcp } from './mcpCommand';
import { CommandLine, declareProgram, UnknownHelpTopic } from './program';
import { runSearch } from './searchCommand';
import { runServe } from './serveCommand';

const interrupts = new Interrupts();
interrupts.install();

const commandLine = declareProgram({
  index: (folder, opts) => runIndex(folder, opts, interrupts),
  search: runSearch,
  files: runFiles,
  serve: opts => runServe(opts, interrupts),
  mcp: (folders, opts) => runMcp(folders, opts, interrupts),
});

async function main(argv: string[], cli: CommandLine): Promise<number> {
  try {
    if (argv.length === 0)
      throw new UsageError(
        `give a command: ${cli.program.commands
          .map(c => c.name())
          .filter(n => n !== 'help')
          .join(', ')}`,
      );
    await cli.program.parseAsync(argv, { from: 'user' });
    return cli.exitCode();
  } catch (e) {
    return failed(e, cli);
  }
}

/** Every way a command can fail, as one line on stderr and its exit code. */
function failed(e: unknown, cli: CommandLine): number {
  // --help and --version are "errors" only to commander: the text is out, the exit is 0.
  if (e instanceof CommanderError && e.exitCode === 0) return EXIT.ok;
  const usage =
    e instanceof CommanderError
      ? usageErrorOf(e, cli.current(), cli.program)
      : e instanceof UnknownHelpTopic
        ? unknownCommand(e.topic, cli.program)
        : e instanceof UsageError || e instanceof BadQueryError
          ? e
          : undefined;
  if (usage) {
    const current = cli.current();
    // `help frob` points to the program's help: it is the one that lists the commands.
    const cmd = current === cli.program || current.name() === 'help' ? '' : ` ${current.name()}`;
    process.stderr.write(`semsearch: ${usage.message.replace(/\.$/, '')}; see "semsearch${cmd} --help"\n`);
    return EXIT.usage;
  }
  process.stderr.write(`semsearch: ${(e as Error).message}\n`);
  return EXIT.failed;
}

// `semsearch files | head` closes stdout early; that is a normal end, not a crash. Not for `mcp`, whose stdout
// is the protocol: a client gone is its transport's close, after which it saves what it followed and exits.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  if (commandLine.current().name() !== 'mcp') process.exit(EXIT.ok);
});

void main(process.argv.slice(2), commandLine).then(code => {
  process.exitCode = code;
});
