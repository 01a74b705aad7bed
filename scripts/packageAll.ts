// `npm run package:all [target...]`: a VSIX per platform (scripts/packageTargets.ts) in vsix/, each built by
// `vsce package --target` from .vscodeignore with the target's native files, then opened and checked: it must
// hold its own usearch addon and onnxruntime binding and no other platform's native file. Prints a line per
// package (size, natives); exits 1 naming what is wrong. Bundled to dist/packageAll.js (esbuild.mjs).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { foreignNatives, ignoreFileFor, nativeFilesOf, PACKAGE_TARGETS, type PackageTarget } from './packageTargets';
import { vsixEntries } from './vsixFiles';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'vsix');

async function packageOne(t: PackageTarget, version: string, base: string): Promise<string> {
  const ignoreFile = path.join(OUT, `.vscodeignore-${t.target}`);
  fs.writeFileSync(ignoreFile, ignoreFileFor(base, t));
  const vsix = path.join(OUT, `semsearch-${t.target}-${version}.vsix`);
  // vsce's own script run by this Node: a .cmd shim needs a shell on Windows (Node 20.12+ refuses it without).
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(
    process.execPath,
    [vsce, 'package', '--target', t.target, '--ignoreFile', ignoreFile, '--allow-missing-repository', '-o', vsix],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const files = await vsixEntries(vsix);
  const missing = nativeFilesOf(t).filter(f => !files.includes(f));
  const foreign = foreignNatives(files, t);
  if (missing.length || foreign.length)
    throw new Error(`${path.basename(vsix)}: missing ${JSON.stringify(missing)}, holds other platforms' ${JSON.stringify(foreign)}`);
  const natives = files.filter(f => /\.(node|so(\.\d+)*|dylib|dll)$/.test(f)).map(f => path.basename(f));
  return `${path.basename(vsix)}: ${(fs.statSync(vsix).size / 1048576).toFixed(1)} MB, ${files.length} files; natives ${natives.join(', ')}`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter(w => !PACKAGE_TARGETS.some(t => t.target === w));
  if (unknown.length)
    throw new Error(`no such target ${unknown.join(', ')}; the targets are ${PACKAGE_TARGETS.map(t => t.target).join(', ')}`);
  const targets = wanted.length ? PACKAGE_TARGETS.filter(t => wanted.includes(t.target)) : PACKAGE_TARGETS;
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const base = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
  fs.mkdirSync(OUT, { recursive: true });
  for (const t of targets) process.stdout.write(`${await packageOne(t, version, base)}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`package:all: ${e.message}\n`);
  process.exit(1);
});
