// The command line itself, as a user meets it: each command's help lists every option with its meaning and
// default (a setting's from SETTINGS), --version and help answer, and every malformed command line gets one
// line of our own words pointing to the right help, exit code 2, and nothing done.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, expectedValue, SETTINGS, type SettingName, type SettingSpec } from '../../common/settings';
import { CLI, cliEnv, type CliRun, runCli as cli } from '../helpers/cliRun';
import { PROJECT_ROOT } from '../helpers/standin';

const COMMANDS = ['index', 'search', 'files'] as const;
type CommandName = (typeof COMMANDS)[number];

/** Each command's own options (not settings) and what its help must say of them. */
const OWN_OPTIONS: Record<CommandName, [flag: string, says: RegExp][]> = {
  index: [
    ['--store <dir>', /the folder to keep the index in \(default: the folder's own/],
    ['--lock-timeout <seconds>', /default 300/],
    ['--allow-download', /download the model when it is missing/],
    ['--json', /summary/],
    ['-h, --help', /print this help/],
  ],
  search: [
    ['--store <dir>', /default: the index of the current folder/],
    ['-k <N>', /default 10; a whole number from 1 to 1000/],
    ['--stdin', /one query per line/],
    ['--allow-download', /download the model/],
    ['--json', /results/],
    ['-h, --help', /print this help/],
  ],
  files: [
    ['--store <dir>', /default: the index of the current folder/],
    ['--json', /list/],
    ['-h, --help', /print this help/],
  ],
};

/** Help text with its line wrapping undone, so a description reads as one string. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The description commander printed for `flag` in a help text (up to the next option), flattened. */
function describedAs(help: string, flag: string): string | undefined {
  const lines = help.split('\n');
  const at = lines.findIndex(l => l.trimStart().startsWith(`${flag} `) || l.trim() === flag);
  if (at < 0) return undefined;
  const rest = lines.slice(at + 1);
  const end = rest.findIndex(l => /^\s{2}-/.test(l) || l.trim() === '');
  return flat([lines[at].trimStart().slice(flag.length), ...rest.slice(0, end < 0 ? rest.length : end)].join(' ')).trim();
}

function settingFlag(spec: SettingSpec): string {
  return spec.type === 'boolean' ? `--${spec.cli!.flag}` : `--${spec.cli!.flag} <${spec.cli!.arg}>`;
}

/** The default a help shows: the test env picks the stand-in model (cliEnv). */
function shownDefault(name: SettingName, spec: SettingSpec): string {
  const env = cliEnv();
  if (name === 'modelId') return env.SEMSEARCH_MODEL!;
  if (name === 'modelsDir') return env.SEMSEARCH_MODEL_DIR!;
  const v = DEFAULT_SETTINGS[name];
  return Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v ?? spec.default);
}

/** A usage error: exit 2, nothing on stdout, one stderr line in our words ending with where the help is. */
function assertUsage(r: CliRun, message: RegExp, command?: CommandName): void {
  assert.equal(r.code, 2, `exit 2 expected; stderr:\n${r.stderr}`);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line:\n${r.stderr}`);
  const [line] = lines;
  assert.ok(line.startsWith('semsearch: '), line);
  assert.match(line, message);
  assert.ok(line.endsWith(`; see "semsearch${command ? ` ${command}` : ''} --help"`), line);
  // Never commander's or Node's own words.
  assert.doesNotMatch(line, /error:|ambiguous|ERR_PARSE_ARGS|Usage:|'/, line);
}

describe('CLI usage: help, --version and bad command lines', function () {
  this.timeout(60_000);
  let tmp: string;
  let ws: string;
  const helps = {} as Record<CommandName, string>;

  before(async () => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing; run npm run build`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'semsearch-usage-'));
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, 'a.py'), 'def a():\n    return 1\n');
    for (const c of COMMANDS) {
      const r = await cli([c, '--help']);
      assert.equal(r.code, 0, r.stderr);
      helps[c] = r.stdout;
    }
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('help', () => {
    for (const c of COMMANDS) {
      it(`${c} --help, ${c} -h and help ${c} print the same help, on stdout, exit 0`, async () => {
        assert.match(helps[c], new RegExp(`^Usage: semsearch ${c} \\[options\\]`));
        for (const args of [
          [c, '-h'],
          ['help', c],
        ]) {
          const r = await cli(args);
          assert.equal(r.code, 0, r.stderr);
          assert.equal(r.stderr, '');
          assert.equal(r.stdout, helps[c], args.join(' '));
        }
      });

      it(`${c} --help lists each of its own options with its meaning and default`, () => {
        for (const [flag, says] of OWN_OPTIONS[c]) {
          const text = describedAs(helps[c], flag);
          assert.ok(text !== undefined, `${flag} in:\n${helps[c]}`);
          assert.match(text, says, `${flag}: ${text}`);
        }
      });
    }

    it('every setting flag of SETTINGS is in the help of the commands it applies to, with its meaning, default and bounds', () => {
      for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec][]) {
        if (!spec.cli) continue;
        const flag = settingFlag(spec);
        const where = COMMANDS.filter(c => describedAs(helps[c], flag) !== undefined);
        assert.ok(where.length > 0, `${flag} is an option of some command`);
        for (const c of where) {
          const text = describedAs(helps[c], flag)!;
          assert.ok(text.startsWith(flat(spec.description)), `${c} ${flag}: the description of SETTINGS.${name}: ${text}`);
          assert.ok(text.includes(`(default ${shownDefault(name, spec)}`), `${c} ${flag}: its default: ${text}`);
          assert.ok(text.endsWith(`setting ${name})`), `${c} ${flag}: the setting it sets: ${text}`);
          if (spec.type === 'integer' || spec.type === 'number')
            assert.ok(text.includes(expectedValue(spec)), `${c} ${flag}: its bounds: ${text}`);
        }
      }
      // Settings that change how a folder is indexed are index's; the search mode is search's.
      assert.ok(describedAs(helps.index, settingFlag(SETTINGS.batchSize)) && !describedAs(helps.search, settingFlag(SETTINGS.batchSize)));
      assert.ok(describedAs(helps.search, settingFlag(SETTINGS.searchMode)) && !describedAs(helps.index, settingFlag(SETTINGS.searchMode)));
    });

    it('help and --help print the commands, where indexes are kept and the exit codes', async () => {
      const r = await cli(['help'], { env: { SEMSEARCH_CACHE_DIR: path.join(tmp, 'help-cache') } });
      assert.equal(r.code, 0, r.stderr);
      const long = await cli(['--help'], { env: { SEMSEARCH_CACHE_DIR: path.join(tmp, 'help-cache') } });
      assert.equal(long.stdout, r.stdout);
      for (const c of [...COMMANDS, 'help']) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
      assert.ok(r.stdout.includes(path.join(tmp, 'help-cache', 'semsearch', 'stores')), r.stdout);
      assert.match(
        flat(r.stdout),
        /Exit codes: 0 done; 1 failed .*; 2 a bad command line .*; 130 stopped by Ctrl-C \(SIGINT\); 143 stopped by SIGTERM/,
      );
    });

    it("--version and -V print package.json's version", async () => {
      const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
      for (const flag of ['--version', '-V']) {
        const r = await cli([flag]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `${version}\n`);
      }
    });
  });

  describe('every malformed command line: one line of our words, exit 2', () => {
    const cases: [string, () => string[], RegExp, CommandName?][] = [
      ['no command', () => [], /^semsearch: give a command: index, search, files, /],
      [
        'an unknown command',
        () => ['frobnicate'],
        /unknown command "frobnicate"; the commands are index, search, files, (\w+, )*serve(, \w+)* and help/,
      ],
      ['a misspelt command', () => ['indx', 'x'], /unknown command "indx" \(did you mean index\?\)/],
      ['help on an unknown command', () => ['help', 'frob'], /unknown command "frob"/],
      ['an unknown flag', () => ['index', ws, '--fast'], /^semsearch: index has no option --fast; see/, 'index'],
      ['a misspelt flag', () => ['index', ws, '--stor', 'x'], /index has no option --stor \(did you mean --store\?\)/, 'index'],
      ["another command's flag", () => ['index', ws, '-k', '3'], /index has no option -k; it is an option of search/, 'index'],
      ['a switch given a value', () => ['index', ws, '--json=1'], /--json takes no value/, 'index'],
      ['a missing value at the end', () => ['search', 'x', '-k'], /-k needs a value: <N>/, 'search'],
      [
        'a missing value before another flag',
        () => ['index', ws, '--store', '--json'],
        /--store needs a value, but got the option --json/,
        'index',
      ],
      ['an empty --store', () => ['search', 'x', '--store', ''], /--store needs a folder/, 'search'],
      ['-k 0', () => ['search', 'x', '-k', '0'], /-k must be a whole number from 1 to 1000; got "0"/, 'search'],
      ['-k -1', () => ['search', 'x', '-k', '-1'], /-k must be a whole number from 1 to 1000; got "-1"/, 'search'],
      ['-k 5000', () => ['search', 'x', '-k', '5000'], /-k must be a whole number from 1 to 1000; got "5000"/, 'search'],
      ['-k abc', () => ['search', 'x', '-k', 'abc'], /-k must be a whole number from 1 to 1000; got "abc"/, 'search'],
      ['-k 2.5', () => ['search', 'x', '-k', '2.5'], /-k must be a whole number from 1 to 1000; got "2.5"/, 'search'],
      [
        'a non-numeric --lock-timeout',
        () => ['index', ws, '--lock-timeout', 'soon'],
        /--lock-timeout must be a whole number of at least 0; got "soon"/,
        'index',
      ],
      ['no folder to index', () => ['index'], /give the folder: semsearch index <folder>/, 'index'],
      ['an extra positional', () => ['index', ws, 'extra'], /index takes one argument, <folder>, but got 2/, 'index'],
      [
        'a query in two words, unquoted',
        () => ['search', 'cache', 'eviction'],
        /search takes one argument, <query>, but got 2; quote one that holds spaces/,
        'search',
      ],
      ['an argument to files', () => ['files', 'x'], /files takes no arguments, but got 1/, 'files'],
      ['no query', () => ['search'], /give the query as one argument \(quote it\), or --stdin/, 'search'],
      ['a query beside --stdin', () => ['search', 'x', '--stdin'], /with --stdin the queries come from standard input/, 'search'],
      [
        'a query that starts with a dash',
        () => ['search', '-x'],
        /search has no option -x; a query that starts with "-" goes after --/,
        'search',
      ],
    ];
    for (const [name, args, message, command] of cases) {
      it(name, async () => assertUsage(await cli(args()), message, command));
    }

    it('each setting flag with a value that is not of its type, or out of its bounds, says what it must be', async () => {
      for (const spec of Object.values(SETTINGS) as SettingSpec[]) {
        if (!spec.cli) continue;
        const command = COMMANDS.find(c => describedAs(helps[c], settingFlag(spec)) !== undefined)!;
        const before = command === 'files' ? [command] : [command, command === 'index' ? ws : 'x'];
        const flag = `--${spec.cli.flag}`;
        const bad: string[] =
          spec.type === 'integer' || spec.type === 'number'
            ? ['lots', '', String(spec.minimum - 1), ...(spec.maximum === undefined ? [] : [String(spec.maximum + 1)])]
            : spec.type === 'enum'
              ? ['fuzzy']
              : spec.type === 'string' && spec.minLength
                ? ['']
                : [];
        for (const v of bad) {
          const esc = v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          assertUsage(
            await cli([...before, flag, v]),
            new RegExp(`^semsearch: ${flag} must be ${expectedValue(spec)}; got "${esc}"; see`),
            command,
          );
        }
        if (spec.type === 'boolean') assertUsage(await cli([...before, `${flag}=yes`]), new RegExp(`${flag} takes no value`), command);
      }
    });

    it('a bad command line does nothing: no store folder is made, no model is loaded', async () => {
      const store = path.join(tmp, 'never');
      const r = await cli(['index', ws, '--store', store, '--batch-size', '0'], { env: { SEMSEARCH_MODEL: 'no-such-model' } });
      assertUsage(r, /--batch-size must be/, 'index');
      assert.ok(!fs.existsSync(store));
    });
  });
});
