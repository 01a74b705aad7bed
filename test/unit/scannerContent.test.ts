import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSourceFile, type ReadOptions, type ReadResult } from '../../server/src/engine/scanner/contentCheck';
import { errorToSkip } from '../../server/src/engine/scanner/reports';
import type { CandidateFile } from '../../server/src/engine/types';
import { collect, makeTree, removeTrees, writeFile } from './scannerFixture';

const MB = 1024 * 1024;
const OPTS: ReadOptions = { maxFileBytes: MB, maxLineChars: 1000, indexDataFiles: false };

/** Writes one file in a fresh tree and reads it as the indexer would, taking the candidate from a real walk. */
async function readOne(rel: string, content: string | Buffer, opts: ReadOptions = OPTS): Promise<ReadResult> {
  const root = makeTree({ [rel]: content });
  const events = await collect(root, { maxFileBytes: opts.maxFileBytes, indexDataFiles: opts.indexDataFiles });
  const event = events.find(e => e.kind === 'file' && e.file.path === rel);
  assert.ok(event && event.kind === 'file', `${rel} should be a candidate`);
  return readSourceFile(event.file, opts);
}

function sourceLines(n: number): string {
  return Array.from({ length: n }, (_, i) => `  const value${i} = compute(${i}, options); // step ${i}`).join('\n');
}

describe('scanner content check', () => {
  after(removeTrees);

  it('reads ordinary source, stripping a UTF-8 BOM', async () => {
    const r = await readOne('a.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('export const ü = 1;\n')]));
    assert.deepEqual(r, { ok: true, text: 'export const ü = 1;\n', longLines: 0 });
  });

  it('calls a file with NUL bytes binary', async () => {
    const r = await readOne('data.txt', Buffer.from('header\0\0\x01\x02rest'));
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.reason === 'binary' && /NUL/.test(r.detail));
  });

  it('calls mostly invalid UTF-8 binary', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 3 === 0 ? 0x41 : 0x80 + ((i * 37) % 0x40);
    const r = await readOne('blob.txt', bytes);
    assert.ok(!r.ok && r.reason === 'binary' && /UTF-8/.test(r.detail), JSON.stringify(r));
  });

  it('indexes a Latin-1 file with a few accented characters, decoded as Latin-1', async () => {
    const text = `// Résumé of the café module\n${sourceLines(40)}\n// naïve\n`;
    const r = await readOne('cafe.ts', Buffer.from(text, 'latin1'));
    assert.ok(r.ok);
    assert.equal(r.text, text);
    assert.ok(r.note && /Latin-1/.test(r.note));
  });

  it('indexes a short Latin-1 file dense with accents (far past 2% invalid UTF-8) as Latin-1, not binary', async () => {
    const text = '// Résumé of the café module: naïve façade over the crème brûlée oven.\nexport const façade = "déjà vu";\n';
    const r = await readOne('cafe.ts', Buffer.from(text, 'latin1'));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.text, text);
    assert.equal(r.note, 'Not valid UTF-8; read as Latin-1.');
  });

  it('keeps the UTF-8 reading of a UTF-8 file with one stray byte', async () => {
    const r = await readOne('a.ts', Buffer.concat([Buffer.from('const ü = "'), Buffer.from([0xff]), Buffer.from('";\n')]));
    assert.ok(r.ok);
    assert.equal(r.text, 'const ü = "\ufffd";\n');
  });

  it('calls empty and whitespace-only files empty', async () => {
    const empty = await readOne('a.ts', '');
    assert.ok(!empty.ok && empty.reason === 'empty');
    const blank = await readOne('b.ts', ' \n\t\r\n  \n');
    assert.ok(!blank.ok && blank.reason === 'empty');
  });

  it('calls a 5 MB minified bundle in src/bundle.js minified, whatever its name', async () => {
    const body = 'var a=function(b){return b+1},c=[1,2,3].map(a);'.repeat(Math.ceil((5 * MB) / 48));
    const r = await readOne('src/bundle.js', `/*! lib v1.0 */\n/* MIT license */\n${body}\n`, { ...OPTS, maxFileBytes: 8 * MB });
    assert.ok(!r.ok && r.reason === 'minified', JSON.stringify(!r.ok && r));
  });

  it('indexes a normal file with one 1,000,000-character line and counts that line', async () => {
    const text = `${sourceLines(30)}\nexport const blob = "${'QUJD'.repeat(250_000)}";\n${sourceLines(30)}\n`;
    const r = await readOne('src/blob.ts', text, { ...OPTS, maxFileBytes: 2 * MB });
    assert.ok(r.ok, JSON.stringify(!r.ok && r));
    assert.equal(r.longLines, 1);
  });

  it('does not call prose with long unwrapped paragraphs minified', async () => {
    const para = 'This paragraph explains the design in plain words and goes on for a while. '.repeat(6);
    const r = await readOne('README.md', `# Title\n\n${para}\n\n${para}\n\n${para}\n`);
    assert.ok(r.ok);
  });

  it('reports a file deleted between the walk and the read as vanished', async () => {
    const root = makeTree({ 'a.ts': 'x' });
    const [event] = await collect(root);
    assert.ok(event.kind === 'file');
    fs.unlinkSync(event.file.absPath);
    const r = await readSourceFile(event.file, OPTS);
    assert.ok(!r.ok && r.reason === 'vanished' && r.status === 'skipped');
  });

  it('reports a file that grew past the cap since the walk as too-large, without reading it', async () => {
    const root = makeTree({ 'a.ts': 'x' });
    const [event] = await collect(root);
    assert.ok(event.kind === 'file');
    writeFile(root, 'a.ts', Buffer.alloc(2 * MB, 'a'));
    const r = await readSourceFile(event.file, OPTS);
    assert.deepEqual(r, {
      ok: false,
      status: 'skipped',
      reason: 'too-large',
      detail: 'Over the 1 MB size cap (2 MB); raise maxFileSizeMB to index it.',
    });
  });

  it('reads a file truncated after the walk as what is there now, never past its end', async () => {
    const full = `${sourceLines(200)}\n`;
    const root = makeTree({ 'a.ts': full });
    const [event] = await collect(root);
    assert.ok(event.kind === 'file' && event.file.size === Buffer.byteLength(full));
    const kept = full.slice(0, full.indexOf('step 50\n') + 'step 50\n'.length);
    fs.truncateSync(event.file.absPath, Buffer.byteLength(kept));
    const r = await readSourceFile(event.file, OPTS);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.text, kept);
    fs.truncateSync(event.file.absPath, 0);
    assert.deepEqual(await readSourceFile(event.file, OPTS), {
      ok: false,
      status: 'skipped',
      reason: 'empty',
      detail: 'The file is empty.',
    });
  });

  it('reads a file cut inside a UTF-8 character after the walk with one replacement character', async () => {
    const root = makeTree({ 'a.ts': 'export const name = "日本語";\n' });
    const [event] = await collect(root);
    assert.ok(event.kind === 'file');
    fs.truncateSync(event.file.absPath, Buffer.byteLength('export const name = "日') + 1);
    const r = await readSourceFile(event.file, OPTS);
    assert.deepEqual(r, { ok: true, text: 'export const name = "日\ufffd', longLines: 0 });
  });

  it('reports a file that became binary or a folder after the walk by what it is now', async () => {
    const root = makeTree({ 'a.ts': 'x', 'b.ts': 'x' });
    const [a, b] = await collect(root);
    assert.ok(a.kind === 'file' && b.kind === 'file');
    fs.writeFileSync(a.file.absPath, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]));
    assert.deepEqual(await readSourceFile(a.file, OPTS), {
      ok: false,
      status: 'skipped',
      reason: 'binary',
      detail: 'Contains NUL bytes, so it looks like a binary file.',
    });
    fs.rmSync(b.file.absPath);
    fs.mkdirSync(b.file.absPath);
    const r = await readSourceFile(b.file, OPTS);
    assert.ok(!r.ok && r.reason === 'special-file' && r.status === 'skipped', JSON.stringify(r));
  });

  it('refuses a file swapped for a link to outside the folder after the walk, and reads links inside it', async () => {
    const outside = makeTree({ 'secret.ts': 'export const secret = 1;\n' });
    const root = makeTree({ 'a.ts': 'x', 'b.ts': 'x', 'real.ts': 'export const real = 1;\n' });
    const [a, b] = await collect(root);
    assert.ok(a.kind === 'file' && b.kind === 'file');
    fs.rmSync(a.file.absPath);
    fs.symlinkSync(path.join(outside, 'secret.ts'), a.file.absPath);
    assert.deepEqual(await readSourceFile(a.file, OPTS), {
      ok: false,
      status: 'skipped',
      reason: 'outside-folder',
      detail: `Now a symlink to ${fs.realpathSync(path.join(outside, 'secret.ts'))}, outside the indexed folder; files outside it are never read.`,
    });
    fs.rmSync(b.file.absPath);
    fs.symlinkSync('real.ts', b.file.absPath);
    assert.deepEqual(await readSourceFile(b.file, OPTS), { ok: true, text: 'export const real = 1;\n', longLines: 0 });
  });

  it('reports an unreadable file (chmod 000) as unreadable', async function () {
    if (process.getuid?.() === 0 || process.platform === 'win32') this.skip(); // root reads through chmod 000
    const root = makeTree({ 'a.ts': 'x' });
    const [event] = await collect(root);
    assert.ok(event.kind === 'file');
    fs.chmodSync(event.file.absPath, 0);
    const r = await readSourceFile(event.file, OPTS);
    assert.ok(!r.ok && r.reason === 'unreadable');
  });

  it('maps file-system errors to outcomes', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    assert.equal(errorToSkip(err('EACCES'), 'file').reason, 'unreadable');
    assert.equal(errorToSkip(err('EPERM'), 'folder').status, 'skipped');
    assert.match(errorToSkip(err('EACCES'), 'folder').detail, /Permission denied reading this folder/);
    assert.deepEqual(errorToSkip(err('ENOENT'), 'file').reason, 'vanished');
    assert.deepEqual(errorToSkip(err('EIO'), 'file'), {
      status: 'failed',
      reason: 'unreadable',
      detail: 'Could not read this file (EIO).',
    });
  });

  it('never throws on a missing file given directly', async () => {
    const file: CandidateFile = { path: 'nope.ts', absPath: '/nonexistent/semsearch/nope.ts', size: 1, mtimeMs: 0 };
    const r = await readSourceFile(file, OPTS);
    assert.ok(!r.ok && r.reason === 'vanished');
  });
});
