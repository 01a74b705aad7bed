// A VSIX is a zip (yauzl reads it): its file list, for packageAll's checks, and its files, for the packaged CLI
// that test/package/targetSmoke.ts runs.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yauzl from 'yauzl';

/** Calls `onEntry` for each entry in order; resolves after the last one. */
function eachEntry(
  vsix: string,
  onEntry: (zip: yauzl.ZipFile, e: yauzl.Entry, next: () => void, fail: (e: Error) => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(vsix, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) {
        reject(err ?? new Error(`cannot open ${vsix}`));
        return;
      }
      zip.on('entry', (e: yauzl.Entry) => onEntry(zip, e, () => zip.readEntry(), reject));
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

export async function vsixEntries(vsix: string): Promise<string[]> {
  const names: string[] = [];
  await eachEntry(vsix, (_zip, e, next) => {
    names.push(e.fileName);
    next();
  });
  return names;
}

/** Writes every file of the VSIX below `into` (its `extension/` folder is the installed extension). */
export function unpackVsix(vsix: string, into: string): Promise<void> {
  return eachEntry(vsix, (zip, e, next, fail) => {
    const out = path.join(into, e.fileName);
    if (!out.startsWith(into + path.sep)) {
      fail(new Error(`${e.fileName} leaves the folder`));
      return;
    }
    if (e.fileName.endsWith('/')) {
      fs.mkdirSync(out, { recursive: true });
      next();
      return;
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    zip.openReadStream(e, (e2, stream) => {
      if (e2 || !stream) {
        fail(e2 ?? new Error(`cannot read ${e.fileName}`));
        return;
      }
      stream.pipe(fs.createWriteStream(out)).on('finish', next).on('error', fail);
    });
  });
}
