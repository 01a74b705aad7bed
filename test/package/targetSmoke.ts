// `node dist/test/package/targetSmoke.js [target]`: a platform's package, run as it will run: the CLI from
// inside the VSIX (dist/cli.js, with the native addons it carries) indexes a fixture folder with the built-in
// model and answers a search with the expected file first. The host's own target runs on this Node; on an
// x64 Linux host linux-arm64 (the default) runs under an arm64 Node in qemu-user (installArm64.sh). Run by
// `npm run test:packages` after `package:all`, and by the release workflow on each OS for its own target.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unpackVsix } from '../../scripts/vsixFiles';
import { makeTempDir, PROJECT_ROOT } from '../e2e/codeServer';

const QEMU = ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu'];
const HOST = `${process.platform}-${process.arch}`;
const QUERY = 'circular queue of bytes';
const EXPECTED = 'ringbuf.c';

/** How to run a Node script for `target` here: this Node for the host's own, an arm64 Node in qemu for linux-arm64. */
function runnerFor(target: string): string[] {
  if (target === HOST) return [process.execPath];
  if (target === 'linux-arm64' && HOST === 'linux-x64') {
    const node = execFileSync('bash', [path.join(PROJECT_ROOT, 'test', 'package', 'installArm64.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n')
      .pop()!;
    return [...QEMU, node];
  }
  throw new Error(`${target} cannot run on this ${HOST} machine; run this on a ${target} machine (the release workflow does).`);
}

async function main(target = 'linux-arm64'): Promise<number> {
  const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = path.join(PROJECT_ROOT, 'vsix', `semsearch-${target}-${version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package:all first.`);
  const [command, ...prefix] = runnerFor(target);
  const dir = makeTempDir('semsearch-arm64-');
  try {
    await unpackVsix(vsix, dir);
    const cli = path.join(dir, 'extension', 'dist', 'cli.js');
    const folder = path.join(dir, 'folder');
    fs.mkdirSync(folder);
    for (const name of ['ringbuf.c', 'inventory.py', 'server.go', 'shapes.rs'])
      fs.copyFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'chunker', name), path.join(folder, name));
    const env = { ...process.env, SEMSEARCH_CACHE_DIR: path.join(dir, 'cache'), SEMSEARCH_MODEL: '', SEMSEARCH_MODEL_DIR: '' };
    const run = (args: string[]): string => {
      try {
        return execFileSync(command, [...prefix, cli, ...args], { cwd: folder, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        throw new Error(
          `semsearch ${args[0]} failed: ${String((e as { stderr?: string }).stderr ?? '')
            .trim()
            .split('\n')
            .pop()}`,
        );
      }
    };
    const platform = execFileSync(command, [...prefix, '-p', 'process.platform + "-" + process.arch'], { encoding: 'utf8' }).trim();
    if (platform !== target) throw new Error(`the Node that runs the test says it is ${platform}, not ${target}`);
    const summary = JSON.parse(run(['index', folder, '--json']).trim().split('\n').pop()!) as {
      chunks: number;
      files: { indexed: number };
    };
    const hits = JSON.parse(run(['search', QUERY, '-k', '3', '--json'])) as { path: string; symbol: string }[];
    if (hits[0]?.path !== EXPECTED) throw new Error(`"${QUERY}" listed ${JSON.stringify(hits.map(h => h.path))}, not ${EXPECTED} first`);
    console.log(
      `smoke: ${path.basename(vsix)} on ${platform}${command === QEMU[0] ? ' (qemu-user)' : ''}: ${summary.files.indexed} files, ${summary.chunks} chunks; "${QUERY}" -> ${hits[0].path} ${hits[0].symbol}`,
    );
    return 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv[2]).then(
  code => process.exit(code),
  (e: Error) => {
    console.error(`smoke FAILED: ${e.message.split('\n')[0]}`);
    process.exit(1);
  },
);
