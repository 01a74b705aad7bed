// npm run bench:quality:fetch [name...]: unpacks the benchmark's projects (all, or those named) and prints
// each one's folder and file count, so whoever writes queries reads exactly the files the benchmark indexes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProjects } from './projectData';
import { prepareProject } from './qualityCorpus';

const BENCH = path.resolve(__dirname, '..', '.bench');

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  return n;
}

const wanted = new Set(process.argv.slice(2));
let failed = false;
for (const p of loadProjects()) {
  if (wanted.size && !wanted.has(p.name)) continue;
  try {
    const dir = prepareProject(BENCH, p);
    console.log(`${p.name}\t${dir}\t${countFiles(dir) - 1} files`);
  } catch (e) {
    failed = true;
    console.error(`${p.name}: ${(e as Error).message.split('\n')[0]}`);
  }
}
process.exit(failed ? 1 : 0);
