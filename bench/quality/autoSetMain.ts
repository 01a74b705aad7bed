// node dist/qualityAuto.js: builds the automated query set (autoSet.ts) and prints, per package, the code files
// parsed, the functions with docs, and the queries sampled; the queries land in .bench/quality/auto/queries.json.

import * as path from 'node:path';
import { buildAutoSet } from './autoSet';

const BENCH = path.resolve(__dirname, '..', '.bench');

async function main(): Promise<void> {
  const started = Date.now();
  const set = await buildAutoSet(BENCH);
  console.log('package\tlanguage\tfiles\tdocumented\tusable\trestated\tqueries\tfolder');
  for (const p of set.projects) {
    const n = set.queries.filter(q => q.project === p.name).length;
    console.log(`${p.name}\t${p.language}\t${p.files}\t${p.documented}\t${p.usable}\t${p.restated}\t${n}\t${p.dir}`);
  }
  console.log(
    `${set.queries.length} queries in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${path.join(BENCH, 'quality', 'auto', 'queries.json')}`,
  );
}

main().catch(e => {
  console.error(`qualityAuto: ${(e as Error).message.split('\n')[0]}`);
  process.exit(1);
});
