// node dist/trainFetch.js [--jobs N] [name...]: unpacks every package of train/packages.json (or those named)
// into .bench/train/corpus/<name>/ with the quality benchmark's fetcher (bench/quality/qualityCorpus.ts), so
// both sets are fetched, pinned and refused the same way. Each package is fetched by a child process of this
// script (the fetcher is synchronous, and downloads are network bound), N at once; one that fails prints one
// line and the rest go on. Packages of the quality benchmark and reserved projects are refused before anything
// is fetched (one line each), and again on every unpacked folder (refuseReservedFolders, in prepareProject).

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProjects, type Project } from '../bench/quality/projectData';
import { debSrcOptions, prepareProject, type CorpusLayout } from '../bench/quality/qualityCorpus';
import { nameForms, reservedMatch } from '../bench/reserved';
import reservedList from '../bench/reserved-projects.json';

/** One training package: a quality-benchmark project without queries (see bench/quality/projectData.ts). */
export type TrainPackage = Pick<Project, 'name' | 'language' | 'licence' | 'source' | 'exclude'> & { provenance?: string };

const REPO = path.resolve(__dirname, '..');
export const TRAIN_DIR = path.join(REPO, '.bench', 'train');
export const MANIFEST = path.join(REPO, 'train', 'packages.json');

export function trainLayout(trainDir = TRAIN_DIR): CorpusLayout {
  return {
    corpus: path.join(trainDir, 'corpus'),
    work: path.join(trainDir, 'work'),
    downloads: path.join(trainDir, 'downloads'),
    apt: path.join(trainDir, 'apt'),
  };
}

export function loadManifest(file = MANIFEST): TrainPackage[] {
  const list = (JSON.parse(fs.readFileSync(file, 'utf8')) as { packages: TrainPackage[] }).packages;
  const seen = new Set<string>();
  for (const p of list) {
    if (seen.has(p.name)) throw new Error(`${file}: "${p.name}" is listed twice; names are folder names and must be unique.`);
    seen.add(p.name);
  }
  return list;
}

/** The names the quality benchmark holds (hand-written projects and the automated set), in every name form. */
function benchmarkForms(): Map<string, string> {
  const forms = new Map<string, string>();
  const add = (n: string, owner: string) => {
    for (const f of nameForms(n)) forms.set(f, owner);
  };
  for (const p of loadProjects(path.join(REPO, 'bench', 'quality', 'projects'))) {
    add(p.name, p.name);
    add(p.source.package, p.name);
  }
  const auto = JSON.parse(fs.readFileSync(path.join(REPO, 'bench', 'quality', 'auto-packages.json'), 'utf8')) as { packages: Project[] };
  for (const p of auto.packages) {
    add(p.name, p.name);
    add(p.source.package, p.name);
  }
  return forms;
}

const RESERVED = new Set(reservedList.names.map(n => n.toLowerCase()));
let benchmark: Map<string, string> | undefined;

/** Why a package may not be training data (one line), or undefined. Stricter than nameForms alone: the
 *  first word of any name form counts too, so "lodash.debounce", "rand-core" or "mocha-foo" (parts or plugins
 *  of a held-out project) are refused with it. */
export function refusal(p: Pick<TrainPackage, 'name' | 'source'>): string | undefined {
  benchmark ??= benchmarkForms();
  for (const n of [p.name, p.source.package]) {
    const hit = reservedMatch(n);
    if (hit) return `${p.name}: refused, "${n}" is reserved for evaluation (${hit}, bench/reserved-projects.json).`;
    for (const form of nameForms(n)) {
      const head = form.split(/[-_.]/)[0];
      for (const f of new Set([form, head])) {
        if (benchmark.has(f)) return `${p.name}: refused, "${n}" is the quality benchmark's project ${benchmark.get(f)}.`;
        if (RESERVED.has(f)) return `${p.name}: refused, "${n}" belongs to the reserved project ${f} (bench/reserved-projects.json).`;
      }
    }
  }
  return undefined;
}

/** Child mode: fetch one package with its own downloads folder (concurrent apt-get runs must not see each
 *  other's files), which is deleted afterwards: the unpacked corpus is all the extractor reads. */
function fetchOne(name: string): void {
  const p = loadManifest().find(x => x.name === name);
  if (!p) throw new Error(`${name} is not in ${MANIFEST}.`);
  const base = trainLayout();
  const layout = { ...base, downloads: path.join(base.downloads, name) };
  try {
    prepareProject(TRAIN_DIR, p, layout);
  } catch (e) {
    // A refused package (a reserved project's folder inside) is copied before it is checked: leave none of it.
    const dest = path.join(base.corpus, name);
    if (!fs.existsSync(path.join(dest, '.complete'))) fs.rmSync(dest, { recursive: true, force: true });
    throw e;
  } finally {
    fs.rmSync(layout.downloads, { recursive: true, force: true });
    fs.rmSync(path.join(base.work, name), { recursive: true, force: true });
  }
}

function runChild(name: string): Promise<string | undefined> {
  return new Promise(resolve => {
    execFile(process.execPath, [__filename, '--one', name], { maxBuffer: 16 << 20 }, (err, _out, stderr) => {
      const lines = stderr
        .split('\n')
        .map(l => l.trim())
        .filter(Boolean);
      // apt's fallback warning is worth keeping; the error itself is the child's last line.
      for (const l of lines.slice(0, -1)) if (/no longer on the mirror/.test(l)) console.error(l);
      resolve(err ? (lines.at(-1) ?? err.message.split('\n')[0]) : undefined);
    });
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--one') {
    try {
      fetchOne(argv[1]);
      return 0;
    } catch (e) {
      console.error(`${argv[1]}: ${(e as Error).message.split('\n')[0]}`);
      return 1;
    }
  }
  let jobs = 6;
  const wanted = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--jobs') jobs = Math.max(1, Number(argv[++i]) || 1);
    else wanted.add(argv[i]);
  }
  const started = Date.now();
  const layout = trainLayout();
  const all = loadManifest().filter(p => !wanted.size || wanted.has(p.name));
  const todo: TrainPackage[] = [];
  let refused = 0;
  for (const p of all) {
    const why = refusal(p);
    if (why) {
      refused++;
      console.error(why);
    } else todo.push(p);
  }
  // The private deb-src apt lists are made once here, before children could race to make them.
  if (todo.some(p => p.source.kind === 'deb-src')) debSrcOptions(layout.apt);
  // apt-get source runs share the private apt cache and fail when they overlap: one lane takes them in turn.
  const lanes = [todo.filter(p => p.source.kind === 'deb-src'), todo.filter(p => p.source.kind !== 'deb-src')];
  let done = 0,
    cached = 0;
  const failed: string[] = [];
  const worker = async (queue: TrainPackage[]) => {
    while (queue.length) {
      const p = queue.shift()!;
      if (fs.existsSync(path.join(layout.corpus, p.name, '.complete'))) {
        cached++;
        done++;
        continue;
      }
      const err = await runChild(p.name);
      done++;
      if (err) {
        failed.push(p.name);
        console.error(err.startsWith(`${p.name}:`) ? err : `${p.name}: ${err}`);
      }
      if (done % 50 === 0)
        console.log(`trainFetch: ${done}/${todo.length} (${failed.length} failed) ${Math.round((Date.now() - started) / 1000)} s`);
    }
  };
  await Promise.all([worker(lanes[0]), ...Array.from({ length: Math.max(1, jobs - 1) }, () => worker(lanes[1]))]);
  const secs = Math.round((Date.now() - started) / 1000);
  console.log(
    `trainFetch: ${todo.length - failed.length} of ${all.length} packages in ${layout.corpus} (${cached} already there), ${failed.length} failed, ${refused} refused, ${secs} s.`,
  );
  if (failed.length) console.log(`trainFetch: failed: ${failed.join(' ')}`);
  // Failures of single packages are reported above and do not stop the pipeline; no package at all does.
  return todo.length - failed.length > 0 ? 0 : 1;
}

// This file is also imported by the extractor (for refusal and the manifest): run only as the fetch entry.
if (/^(trainFetch|fetchTraining)\.[jt]s$/.test(path.basename(process.argv[1] ?? ''))) {
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    e => {
      console.error(`trainFetch: ${(e as Error).message.split('\n')[0]}`);
      process.exit(1);
    },
  );
}
