// The benchmark's corpus: real published npm packages (with their dist/, min/, maps and locales), unpacked
// from the npm registry into .bench/, plus the two hostile files the issue names: a 5 MB minified bundle
// named like source and a 40 MB file.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PACKAGES = ['lodash@4.17.21', 'moment@2.30.1', 'axios@1.7.9', 'express@4.21.2', 'yargs@17.7.2', 'chalk@4.1.2'];

export function prepareCorpus(benchDir: string, copies = 1): string {
  const tarballs = path.join(benchDir, 'tarballs');
  fs.mkdirSync(tarballs, { recursive: true });
  const corpus = path.join(benchDir, `corpus-x${copies}`);
  if (fs.existsSync(path.join(corpus, '.complete'))) return corpus;
  fs.rmSync(corpus, { recursive: true, force: true });
  for (const spec of PACKAGES) {
    const name = spec.slice(0, spec.lastIndexOf('@'));
    const file = path.join(tarballs, `${name}-${spec.slice(spec.lastIndexOf('@') + 1)}.tgz`);
    if (!fs.existsSync(file))
      execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', tarballs], { stdio: ['ignore', 'ignore', 'inherit'] });
    for (let c = 0; c < copies; c++) {
      const dest = path.join(corpus, copies > 1 ? `copy${c}` : '', name);
      fs.mkdirSync(dest, { recursive: true });
      execFileSync('tar', ['xzf', file, '-C', dest, '--strip-components=1']);
    }
  }
  writeHostileFiles(corpus);
  fs.writeFileSync(path.join(corpus, '.complete'), '');
  return corpus;
}

/** A 5 MB minified bundle in src/ named like source, and a 40 MB log: both must be skipped cheaply. */
function writeHostileFiles(corpus: string): void {
  const src = path.join(corpus, 'app', 'src');
  fs.mkdirSync(src, { recursive: true });
  const min = fs
    .readFileSync(
      path.join(corpus, fs.existsSync(path.join(corpus, 'moment')) ? 'moment' : 'copy0/moment', 'min', 'moment-with-locales.min.js'),
      'utf8',
    )
    .replace(/\n/g, ';');
  let bundle = '/*! app bundle */\n';
  while (bundle.length < 5 * 1024 * 1024) bundle += min;
  fs.writeFileSync(path.join(src, 'bundle.js'), bundle);
  // Under the size cap, so only its content can tell it is minified.
  fs.writeFileSync(path.join(src, 'vendor.js'), bundle.slice(0, 900 * 1024));
  const fd = fs.openSync(path.join(corpus, 'app', 'server.log'), 'w');
  const line = 'INFO 2026-11-21T10:00:00Z request handled path=/api/items status=200 duration_ms=12\n';
  const block = line.repeat(Math.ceil((1024 * 1024) / line.length));
  for (let i = 0; i < 40; i++) fs.writeSync(fd, block);
  fs.closeSync(fd);
}
