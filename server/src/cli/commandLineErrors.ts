// commander's parse errors, said in our words: one line naming what is wrong (main adds where the help is).
// commander's messages are read for the one word they quote (the option, the command); its version is
// pinned in package.json, and test/unit/cliUsage.test.ts covers every kind.

import type { Command, CommanderError } from 'commander';
import { UsageError } from './exitCodes';

export function usageErrorOf(e: CommanderError, cmd: Command, program: Command): UsageError {
  const quoted = /'([^']*)'/.exec(e.message)?.[1] ?? '';
  const suggestion = /Did you mean (\S+)\?/.exec(e.message)?.[1];
  const maybe = suggestion ? ` (did you mean ${suggestion}?)` : '';
  switch (e.code) {
    case 'commander.unknownOption':
      return new UsageError(unknownOption(quoted, cmd, program, maybe));
    case 'commander.unknownCommand':
      return unknownCommand(quoted, program, maybe);
    case 'commander.optionMissingArgument': {
      const [flag, arg] = quoted
        .split(/\s+/)
        .filter(w => !w.endsWith(','))
        .slice(-2);
      return new UsageError(`${flag} needs a value: ${arg}`);
    }
    case 'commander.missingArgument':
      return new UsageError(`give the ${quoted}: semsearch ${cmd.name()} <${quoted}>`);
    case 'commander.excessArguments':
      return new UsageError(excessArguments(e.message, cmd));
    default:
      return new UsageError(e.message.replace(/^error: /, '').split('\n')[0]);
  }
}

export function unknownCommand(name: string, program: Command, maybe = ''): UsageError {
  const names = program.commands.map(c => c.name());
  return new UsageError(
    `unknown command "${name}"${maybe}; the commands are ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`,
  );
}

/** An option another command has is named as that command's: `-k` given to index is a search option. */
function unknownOption(flag: string, cmd: Command, program: Command, maybe: string): string {
  const where = cmd === program ? 'semsearch' : cmd.name();
  const name = flag.replace(/=.*$/, '');
  const has = (c: Command) => c.options.some(o => o.long === name || o.short === name);
  // commander reads --json=1 as an unknown option: a switch given a value.
  if (name !== flag && has(cmd)) return `${name} takes no value; give it alone`;
  const owner = program.commands.find(c => c !== cmd && has(c));
  if (owner) return `${where} has no option ${name}; it is an option of ${owner.name()}`;
  if (maybe) return `${where} has no option ${flag}${maybe}`;
  // A query that starts with a dash reads as an option; `--` ends the options.
  const dash = cmd.name() === 'search' ? `; a query that starts with "-" goes after --: semsearch search -- "${flag}"` : '';
  return `${where} has no option ${flag}${dash}`;
}

function excessArguments(message: string, cmd: Command): string {
  const got = Number(/got (\d+)/.exec(message)?.[1] ?? 0);
  const args = cmd.registeredArguments.map(a => `<${a.name()}>`);
  const takes = args.length === 0 ? 'no arguments' : `one argument, ${args.join(' ')}`;
  return `${cmd.name()} takes ${takes}, but got ${got}${args.length ? '; quote one that holds spaces' : ''}`;
}
