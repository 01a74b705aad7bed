// Unpacks each benchmark project from the registries reachable here into .bench/quality/corpus/<name>/:
// npm tarballs with `npm pack`, Debian binary packages with `apt-get download` + `dpkg-deb -x`, Debian source
// packages with `apt-get source --download-only` through a private deb-src list (the system's apt setup is
// left alone). A pinned version no longer on the mirror (a security update replaced it) falls back to the
// current one, with a warning. Reserved projects are refused, by name and by any vendored folder.
// The folders are a CorpusLayout: the quality benchmark's by default; the training pipeline (train/) passes its own.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import { refuseReserved, refuseReservedFolders } from '../reserved';
import type { Project } from './projectData';

/** Where prepareProject unpacks (corpus/<name>), works (work/<name>), keeps downloads and its deb-src apt setup. */
export interface CorpusLayout {
  corpus: string;
  work: string;
  downloads: string;
  apt: string;
}

/** What prepareProject needs of a project: a benchmark project, or a training package (train/packages.json). */
export type FetchSpec = Pick<Project, 'name' | 'source' | 'exclude'> & Partial<Project>;

export function qualityLayout(benchDir: string): CorpusLayout {
  const q = path.join(benchDir, 'quality');
  return { corpus: path.join(q, 'corpus'), work: path.join(q, 'work'), downloads: path.join(q, 'downloads'), apt: path.join(q, 'apt') };
}

export function corpusDir(benchDir: string, name: string): string {
  return path.join(qualityLayout(benchDir).corpus, name);
}

/** The project's corpus folder, unpacked on first use (a `.complete` marker makes later calls free). */
export function prepareProject(benchDir: string, p: FetchSpec, layout = qualityLayout(benchDir)): string {
  refuseReserved(p.name);
  refuseReserved(p.source.package, 'package');
  const dest = path.join(layout.corpus, p.name);
  if (fs.existsSync(path.join(dest, '.complete'))) return dest;
  const work = path.join(layout.work, p.name);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const unpacked = unpack(layout, p, work);
  const root = path.join(unpacked, p.source.root);
  if (!fs.existsSync(root)) throw new Error(`${p.name}: "${p.source.root}" is not inside ${p.source.package}; fix source.root.`);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(root, dest, { recursive: true, dereference: false });
  if (p.exclude?.length) removeExcluded(dest, p.exclude);
  refuseReservedFolders(dest);
  fs.rmSync(work, { recursive: true, force: true });
  fs.writeFileSync(path.join(dest, '.complete'), '');
  return dest;
}

function unpack(layout: CorpusLayout, p: FetchSpec, work: string): string {
  const { source } = p;
  const downloads = layout.downloads;
  fs.mkdirSync(downloads, { recursive: true });
  const out = path.join(work, 'x');
  fs.mkdirSync(out);
  if (source.kind === 'npm') {
    const file = execFileSync('npm', ['pack', `${source.package}@${source.version}`, '--silent', '--pack-destination', downloads], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['xzf', path.join(downloads, file), '-C', out]);
    return out;
  }
  if (source.kind === 'deb') {
    const deb = aptFetch(['download'], source.package, source.version, downloads, f => f.endsWith('.deb'));
    execFileSync('dpkg-deb', ['-x', deb, out]);
    return out;
  }
  const tarball = aptFetch(
    ['source', '--download-only'],
    source.package,
    source.version,
    downloads,
    f => /\.orig\.tar\.\w+$/.test(f),
    debSrcOptions(layout.apt),
  );
  execFileSync('tar', ['xf', tarball, '-C', out, '--strip-components=1']);
  return out;
}

/** Runs apt-get in `dir` for package=version, falling back to the mirror's version; returns the file made. */
function aptFetch(
  verb: string[],
  pkg: string,
  version: string,
  dir: string,
  wanted: (f: string) => boolean,
  options: string[] = [],
): string {
  const before = new Set(fs.readdirSync(dir));
  const run = (spec: string) => execFileSync('apt-get', [...options, ...verb, spec], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    run(`${pkg}=${version}`);
  } catch {
    console.error(`${pkg} ${version} is no longer on the mirror; using its current version (check the judgments still hold).`);
    run(pkg);
  }
  const made = fs
    .readdirSync(dir)
    .filter(f => wanted(f) && (!before.has(f) || f.includes(version.replace(/^\d+:/, '').replace(/-[^-]*$/, ''))));
  const file = made.find(f => !before.has(f)) ?? made.find(f => f.startsWith(pkg.replace(/^lib/, '')) || f.startsWith(pkg));
  if (!file) throw new Error(`apt-get ${verb.join(' ')} ${pkg} made no file; is the package name right?`);
  return path.join(dir, file);
}

/** A private apt setup in `dir` with Debian's deb-src list for the release this machine runs, updated once. */
export function debSrcOptions(dir: string): string[] {
  const list = path.join(dir, 'deb-src.sources');
  const suite = fs.readFileSync('/etc/os-release', 'utf8').match(/^VERSION_CODENAME=(\w+)/m)?.[1] ?? 'bookworm';
  const options = [
    '-o',
    `Dir::Etc::SourceList=${list}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${path.join(dir, 'lists')}`,
    '-o',
    `Dir::Cache=${path.join(dir, 'cache')}`,
  ];
  if (!fs.existsSync(path.join(dir, '.updated'))) {
    fs.mkdirSync(path.join(dir, 'lists', 'partial'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'cache', 'archives', 'partial'), { recursive: true });
    fs.writeFileSync(
      list,
      `Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: ${suite}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
    );
    execFileSync('apt-get', [...options, 'update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    fs.writeFileSync(path.join(dir, '.updated'), '');
  }
  return options;
}

function removeExcluded(root: string, patterns: string[]): void {
  const rules = ignore().add(patterns);
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (rules.ignores(entry.isDirectory() ? `${child}/` : child)) fs.rmSync(path.join(root, child), { recursive: true, force: true });
      else if (entry.isDirectory()) stack.push(child);
    }
  }
}
