import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileLines } from '../../server/src/engine/search/fileLines';

describe('file lines a search reads back (FileLines)', () => {
  let dir: string;
  let reads: string[];
  const read = async (file: string) => {
    reads.push(path.basename(file));
    try {
      return await fs.promises.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lines-'));
    reads = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads an unchanged file once, and again once its size or mtime changes', async () => {
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'one\ntwo\n');
    const lines = new FileLines(read);
    assert.deepEqual(await lines.lines(file), ['one', 'two', '']);
    assert.deepEqual(await lines.lines(file), ['one', 'two', '']);
    assert.deepEqual(reads, ['a.ts']);
    fs.writeFileSync(file, 'uno\ndos\n'); // the same size: the mtime tells
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(await lines.lines(file), ['uno', 'dos', '']);
    fs.writeFileSync(file, 'three\n');
    assert.deepEqual(await lines.lines(file), ['three', '']);
    assert.deepEqual(reads, ['a.ts', 'a.ts', 'a.ts']);
  });

  it('two searches reading the same file at once count its bytes once', async () => {
    for (const name of ['a', 'b']) fs.writeFileSync(path.join(dir, name), name.repeat(100));
    const lines = new FileLines(read, 450);
    const a = path.join(dir, 'a');
    await Promise.all([lines.lines(a), lines.lines(a), lines.lines(a)]);
    await lines.lines(path.join(dir, 'b'));
    reads = [];
    await lines.lines(a);
    await lines.lines(path.join(dir, 'b'));
    assert.deepEqual(reads, [], 'both kept: 400 of 450 bytes, not 800');
  });

  it('a file gone or unreadable gives undefined and is not kept', async () => {
    const file = path.join(dir, 'gone.ts');
    fs.writeFileSync(file, 'x\n');
    const lines = new FileLines(read);
    await lines.lines(file);
    fs.rmSync(file);
    assert.equal(await lines.lines(file), undefined);
    fs.writeFileSync(file, 'y\n');
    assert.deepEqual(await lines.lines(file), ['y', '']);
  });

  it('keeps at most its bound, the least recently used going first', async () => {
    for (const name of ['a', 'b', 'c']) fs.writeFileSync(path.join(dir, name), name.repeat(100));
    const lines = new FileLines(read, 450); // two files of 100 characters (200 bytes each), not three
    const at = (name: string) => lines.lines(path.join(dir, name));
    await at('a');
    await at('b');
    await at('a'); // a is now the most recent
    await at('c'); // b goes
    reads = [];
    await at('a');
    await at('c');
    assert.deepEqual(reads, []);
    await at('b');
    assert.deepEqual(reads, ['b']);
  });
});
