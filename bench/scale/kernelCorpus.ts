// The corpus of the scale benchmark: the Linux kernel source as Debian ships it (linux-source-6.12), unpacked
// once under .bench/kernel/, and subsets of it: every Nth regular file of the whole tree's sorted file list.
// A subset samples ALL regular files, not only the ones the scanner would index, so each scale sees the same
// mix of what is indexed, skipped and ignored (.gitignore files included) as the full tree.
//
// Subsets are hard links into the full tree: 86k copies would cost ~1.4 GB and minutes of disk time on a
// machine others measure on. The one edit the benchmark makes (editOneFile) first gives the edited file an
// inode of its own, so neither the full tree nor another subset sees it.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const KERNEL_TARBALL = '/usr/src/linux-source-6.12.tar.xz';
const TOP = 'linux-source-6.12';

export interface KernelPaths {
  /** .bench/kernel/: the unpacked tree, the subsets, the stores. */
  dir: string;
  /** The unpacked full tree. */
  full: string;
}

export function kernelPaths(benchDir: string): KernelPaths {
  const dir = path.join(benchDir, 'kernel');
  return { dir, full: path.join(dir, TOP) };
}

/**
 * The unpacked full tree, unpacking the tarball first when it is absent. It is unpacked into a temporary
 * folder and renamed into place, so a tree that exists is a whole one (an interrupted unpack is redone).
 */
export function ensureKernel(paths: KernelPaths, log: (m: string) => void): string {
  if (fs.existsSync(paths.full)) return upstreamGitignore(paths.full);
  if (!fs.existsSync(KERNEL_TARBALL)) {
    throw new Error(`${KERNEL_TARBALL} is missing: install it with \`apt-get install linux-source-6.12\`, then run the benchmark again.`);
  }
  const tmp = path.join(paths.dir, '.unpacking');
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  log(`unpacking ${KERNEL_TARBALL} into ${paths.dir} (once; a few minutes)…`);
  const tar = spawnSync('tar', ['xJf', KERNEL_TARBALL, '-C', tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (tar.status !== 0)
    throw new Error(
      `tar xJf ${KERNEL_TARBALL} failed (${tar.error?.message ?? `exit ${tar.status}`}); check the disk space under ${paths.dir}, then run again.`,
    );
  fs.renameSync(path.join(tmp, TOP), paths.full);
  fs.rmSync(tmp, { recursive: true, force: true });
  return upstreamGitignore(paths.full);
}

/**
 * Debian's linux-source tarball ends the kernel's top .gitignore with `/*` and `!/debian/` (its packaging
 * ignores the whole tree), so an indexer that honours .gitignore, as this one does, indexes nothing but
 * debian/. The benchmark measures the kernel's own tree: those two lines go (written as a new file, so no
 * subset's hard link to the old one changes).
 */
function upstreamGitignore(root: string): string {
  const file = path.join(root, '.gitignore');
  if (!fs.existsSync(file)) return root;
  const text = fs.readFileSync(file, 'utf8');
  const upstream = text
    .split('\n')
    .filter(l => l !== '/*' && l !== '!/debian/')
    .join('\n');
  if (upstream !== text) {
    fs.rmSync(file);
    fs.writeFileSync(file, upstream);
  }
  return root;
}

/**
 * Relative paths ('/'-separated) of every regular file under root, in code-unit order (locale-independent, so
 * every machine draws the same subsets). Symbolic links are not regular files and are left out.
 */
export function allFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(path.join(dir, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  visit(root, '');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The label of a scale: 1 is the full kernel, N is 1/N of its files. */
export function scaleLabel(every: number): string {
  return every === 1 ? 'full' : `1/${every}`;
}

/**
 * The tree of scale 1/`every`: the full tree itself for 1, else `linux-every<N>` of hard links to every Nth
 * file. Built once; the `.complete` marker beside it (not inside: it would be one more file to scan) says
 * the build finished, so an interrupted one is rebuilt from nothing.
 */
export function kernelSubset(paths: KernelPaths, every: number, log: (m: string) => void): string {
  if (every === 1) return paths.full;
  const dest = path.join(paths.dir, `linux-every${every}`);
  const marker = `${dest}.complete`;
  if (fs.existsSync(marker)) return upstreamGitignore(dest);
  fs.rmSync(dest, { recursive: true, force: true });
  const files = allFiles(paths.full).filter((_, i) => i % every === 0);
  log(`building the ${scaleLabel(every)} subset: ${files.length} files, hard-linked into ${dest}…`);
  const made = new Set<string>();
  for (const rel of files) {
    const from = path.join(paths.full, ...rel.split('/'));
    const to = path.join(dest, ...rel.split('/'));
    const parent = path.dirname(to);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    try {
      fs.linkSync(from, to);
    } catch (e) {
      // Another file system under .bench/ (a mount): copies cost disk, but measure the same.
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      fs.copyFileSync(from, to);
    }
  }
  fs.writeFileSync(marker, `${JSON.stringify({ every, files: files.length, source: paths.full, builtAt: new Date().toISOString() })}\n`);
  return upstreamGitignore(dest);
}

/** What the one-file edit appends: a new C function, in kernel style, that no kernel file has. */
export const APPENDED_FUNCTION = 'semsearch_bench_interleave';
const APPENDED = `
/* Interleaves two byte buffers into out, starting with the first; the longer one's leftovers follow. */
static size_t ${APPENDED_FUNCTION}(u8 *out, const u8 *a, size_t na, const u8 *b, size_t nb)
{
	size_t i, n = 0;

	for (i = 0; i < na || i < nb; i++) {
		if (i < na)
			out[n++] = a[i];
		if (i < nb)
			out[n++] = b[i];
	}
	return n;
}
`;
/** A line of the appended comment: the query that should find the new function after the edit. */
export const APPENDED_QUERY = 'interleaves two byte buffers into out, starting with the first';

/**
 * The .c file the edit goes to: from the middle of the tree's sorted .c files, the first of an ordinary size
 * (2-64 KB: well under the size limit and the chunk cap, so the edit re-cuts one normal file).
 */
export function fileToEdit(root: string): string {
  const cFiles = allFiles(root).filter(f => f.endsWith('.c'));
  if (cFiles.length === 0) throw new Error(`${root} has no .c file to edit; use a larger scale (a smaller BENCH_SCALES denominator).`);
  const mid = Math.floor(cFiles.length / 2);
  const order = [...cFiles.slice(mid), ...cFiles.slice(0, mid)];
  const sized = order.find(f => {
    const size = fs.statSync(path.join(root, ...f.split('/'))).size;
    return size >= 2048 && size <= 65536;
  });
  return sized ?? order[0];
}

/**
 * Appends the new function to `rel` under root and returns what puts the file back (content and times).
 * The file gets an inode of its own first (a copy renamed over it), so the hard-linked twins in the other
 * trees keep the original bytes.
 */
export function editOneFile(root: string, rel: string): () => void {
  const file = path.join(root, ...rel.split('/'));
  const before = fs.statSync(file);
  const original = fs.readFileSync(file);
  if (before.nlink > 1) {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.semsearch-unlink`);
    fs.copyFileSync(file, tmp);
    fs.renameSync(tmp, file);
  }
  fs.appendFileSync(file, APPENDED);
  return () => {
    fs.writeFileSync(file, original);
    fs.utimesSync(file, before.atime, before.mtime);
  };
}
