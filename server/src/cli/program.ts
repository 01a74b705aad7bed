// The command line's declaration (commander): the commands, their arguments and options with meanings and
// defaults, the help texts. What each command does is in its own file; what a parse error says, in
// commandLineErrors.ts.

import * as path from 'node:path';
import { Command, Option } from 'commander';
import { userCacheDir } from '../engine';
import { allowDownloadOption, type CommandOptions, jsonOption, kOption, lockTimeoutOption, stdinOption, storeOption } from './ownOptions';
import { serveOptions } from './serveOptions';
import { CommandName, settingOptions } from './settingOptions';
import { VERSION } from '../version';

export interface Actions {
  index(folder: string, opts: CommandOptions): Promise<number>;
  search(query: string | undefined, opts: CommandOptions): Promise<number>;
  files(opts: CommandOptions): Promise<number>;
  serve(opts: CommandOptions): Promise<number>;
  mcp(folders: string[], opts: CommandOptions): Promise<number>;
}

export interface CommandLine {
  program: Command;
  /** The command being parsed or run (the program itself before one is named): usage errors point to its help. */
  current(): Command;
  /** The exit code the command's action returned. */
  exitCode(): number;
}

export function declareProgram(actions: Actions): CommandLine {
  let current: Command | undefined;
  let code = 0;
  const program = new Command('semsearch')
    .description('Search a codebase by its words and by its meaning, on this machine: index a folder once, then search it.')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .helpCommand(false)
    // Errors are thrown, not printed: main says each in one line of our own words (commandLineErrors.ts).
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addHelpText('after', programFooter())
    .hook('preSubcommand', (_program, sub) => {
      current = sub;
    });
  // Subcommands inherit the settings above, so they are declared after them.
  const settle = (work: Promise<number>) =>
    work.then(c => {
      code = c;
    });

  command(program, 'index', 'index a folder, or bring its index up to date: only what changed is read and embedded', [
    storeOption(false),
    lockTimeoutOption(),
    allowDownloadOption(),
    jsonOption('the summary of the run (its last stdout line)'),
  ])
    .argument('<folder>', 'the folder to index')
    .addHelpText('after', indexFooter())
    .action((folder: string, opts: CommandOptions) => settle(actions.index(folder, opts)));

  command(program, 'search', 'search the index: by words and by meaning (hybrid), or by words or meaning only (--mode)', [
    storeOption(true),
    kOption(),
    stdinOption(),
    allowDownloadOption(),
    jsonOption('the results: [{path, startLine, endLine, symbol, score, snippet, why, alsoIn?}]'),
  ])
    .argument('[query]', 'what to look for, in words or code; quote it')
    .addHelpText('after', searchFooter())
    .action((query: string | undefined, opts: CommandOptions) => settle(actions.search(query, opts)));

  command(program, 'files', 'list every path the last run saw: indexed, skipped (with the reason) or failed (with why)', [
    storeOption(true),
    jsonOption('the list: [{path, status, reason, detail, chunks}]'),
  ]).action((opts: CommandOptions) => settle(actions.files(opts)));

  command(
    program,
    'mcp',
    'serve the folders to an AI agent over MCP (stdio): search_code, find_similar, index_status; the index kept fresh as files change',
    [],
  )
    .argument('[folders...]', 'the folders to serve (default: the current folder)')
    .addHelpText('after', mcpFooter())
    .action((folders: string[], opts: CommandOptions) => settle(actions.mcp(folders, opts)));

  command(
    program,
    'serve',
    "serve this machine's embedding model over HTTP, OpenAI-compatible (/v1/embeddings), for other machines' semsearch or any client",
    [...serveOptions(), allowDownloadOption()],
  )
    .addHelpText('after', serveFooter())
    .action((opts: CommandOptions) => settle(actions.serve(opts)));

  program
    .command('help')
    .argument('[command]', 'the command to explain')
    .description('print the help of a command, or this help')
    .action((name: string | undefined) => showHelp(program, name));

  return { program, current: () => current ?? program, exitCode: () => code };
}

/** A command with its own options, then the setting flags that apply to it (the help lists them in this order). */
function command(program: Command, name: CommandName, description: string, own: Option[]): Command {
  const cmd = program.command(name).description(description).helpOption('-h, --help', 'print this help and exit');
  for (const o of [...own, ...settingOptions(name)]) cmd.addOption(o);
  return cmd;
}

function showHelp(program: Command, name: string | undefined): void {
  if (name === undefined) {
    program.outputHelp();
    return;
  }
  const cmd = program.commands.find(c => c.name() === name);
  if (!cmd) throw new UnknownHelpTopic(name);
  cmd.outputHelp();
}

/** `semsearch help frob`: said like an unknown command. */
export class UnknownHelpTopic extends Error {
  constructor(readonly topic: string) {
    super(topic);
  }
}

function programFooter(): string {
  return `
Each command's options, with their meanings and defaults: semsearch <command> --help (or semsearch help <command>).

Indexes are kept in ${path.join(userCacheDir(), 'semsearch', 'stores')} (SEMSEARCH_CACHE_DIR moves it) unless
--store names a folder; search and files without --store read the index of the current folder or of the
nearest folder above it that has one. The model: SEMSEARCH_MODEL and SEMSEARCH_MODEL_DIR set the defaults of
--model and --models-dir.

Exit codes: 0 done; 1 failed (one line on stderr says why and what to do); 2 a bad command line (nothing
done); 130 stopped by Ctrl-C (SIGINT); 143 stopped by SIGTERM.
`;
}

function indexFooter(): string {
  return `
Progress goes to stderr, then what changed since the last run. A re-run reads only files whose size or mtime
changed and embeds only chunks whose text changed. Ctrl-C or SIGTERM stops the run: what is embedded is saved,
the lock released, and the same command resumes from there (exit 130 or 143); a second Ctrl-C exits at once.

Examples:
  semsearch index .
  semsearch index ~/src/app --exclude 'fixtures/**' --json
`;
}

function searchFooter(): string {
  return `
Without --store the index is the current folder's (or the nearest folder's above it that has one).

Examples:
  semsearch search "split a large declaration at its methods"
  semsearch search parseHeaders --mode lexical -k 3 --json
  printf 'retry with backoff\\nopen the store\\n' | semsearch search --stdin
`;
}

function mcpFooter(): string {
  return `
stdin and stdout carry the Model Context Protocol; logs go to stderr. Each folder's index is its default one, the
one \`semsearch index\` and the VS Code extension use: when no other process holds it, this one indexes the folder
and follows its changes; else it searches what that process saves. It stops when the client closes stdin.

An agent's configuration, for example:
  { "mcpServers": { "code": { "command": "semsearch", "args": ["mcp", "/path/to/repo"] } } }
`;
}

function serveFooter(): string {
  return `
Routes: POST /v1/embeddings (input: a string or a list of strings; token ids are refused), GET /v1/models,
GET /health. Over --concurrency a request waits; over --queue it is answered 429 with Retry-After. A body over
4 MB is answered 413, more than 2,048 inputs or an input over 65,536 characters 400. Ctrl-C or SIGTERM
finishes the requests in progress, then exits (130 / 143).

Examples:
  semsearch serve --port 8484
  semsearch index . --embedding-endpoint http://127.0.0.1:8484/v1
  SEMSEARCH_SERVE_TOKEN=secret semsearch serve --host 0.0.0.0 --model Xenova/all-MiniLM-L6-v2
`;
}
