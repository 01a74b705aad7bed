// The segmented lexical index (builder, sealed segment file, search over parts) against the MiniSearch
// reference (test/helpers/miniSearchIndex.ts) on real code: the same rows and scores, whether the rows sit
// in one part or are spread over three.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_TERM_OPTIONS } from '../../server/src/engine/lexical/codeTerms';
import { LexicalBuilder } from '../../server/src/engine/lexical/lexicalBuilder';
import { LEXICAL_FIELDS, LexicalDoc, LexicalField } from '../../server/src/engine/lexical/lexicalPart';
import { PartHit, searchLexical, SearchedPart } from '../../server/src/engine/lexical/lexicalSearch';
import { LexicalSegment } from '../../server/src/engine/lexical/lexicalSegment';
import { LexicalIndex } from '../helpers/miniSearchIndex';

const NODE_MODULES = path.resolve(__dirname, '../../../node_modules');
const PACKAGES = ['commander', 'vscode-jsonrpc', 'vscode-languageserver', 'ignore', 'lru-cache', 'minisearch', 'mocha', 'eslint'];
const TERMS = DEFAULT_TERM_OPTIONS;

/** Real code cut into 40-line chunks, named like the chunker names them (the first function or class, else lines). */
function corpus(limit: number): LexicalDoc[] {
  const docs: LexicalDoc[] = [];
  for (const pkg of PACKAGES) {
    for (const rel of jsFiles(path.join(NODE_MODULES, pkg), '')) {
      const lines = fs.readFileSync(path.join(NODE_MODULES, pkg, rel), 'utf8').split('\n');
      if (lines.some(l => l.length > 1000)) continue; // minified
      for (let i = 0; i < lines.length && docs.length < limit; i += 40) {
        const text = lines.slice(i, i + 40).join('\n');
        const symbol = /(?:function|class)\s+([A-Za-z_$][\w$]*)/.exec(text)?.[1] ?? '';
        docs.push({ path: `node_modules/${pkg}/${rel}`, symbol, kind: symbol ? 'function' : 'lines', text });
      }
      if (docs.length >= limit) return docs;
    }
  }
  return docs;
}

function jsFiles(dir: string, rel: string): string[] {
  if (!fs.existsSync(path.join(dir, rel))) return [];
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap(e => {
      const sub = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) return e.name === 'node_modules' ? [] : jsFiles(dir, sub);
      return e.name.endsWith('.js') && !e.name.endsWith('.min.js') ? [sub] : [];
    });
}

const QUERIES = [
  'parseArgs',
  'readFileSync',
  'createServer',
  'EventEmitter',
  'prototype',
  'hasOwnProperty',
  'JSON.stringify',
  'Buffer.from',
  'setTimeout',
  'process.nextTick',
  'MessageConnection',
  'sendRequest',
  'onNotification',
  'LRUCache',
  'maxSize',
  'createSourceFile',
  'SyntaxKind',
  'isIdentifier',
  'helpInformation',
  'autoSuggest',
  'fuzzy',
  'mocha reporter',
  'parse command line options',
  'remove expired entries from the cache',
  'cancel a pending request',
  'format the error message',
  'read the file',
  'run the tests in parallel',
  'escape regular expression',
  'http 404 not found',
  'timeout 2000 retries 3',
  'const result = fn.apply(this, arguments);',
  'if (typeof callback !== "function") throw new TypeError("callback must be a function, got " + typeof callback);',
  'for (let i = 0; i < args.length; i++) { const arg = args[i]; if (arg === "--") break; options.push(arg); }',
  'parseInt radix 10',
  'zzzNothingMatchesThis',
];

let tmp: string;

function build(docs: LexicalDoc[], rowOf: (i: number) => number = i => i): LexicalBuilder {
  const b = new LexicalBuilder(TERMS);
  docs.forEach((d, i) => b.add(rowOf(i), d));
  return b;
}

function sealed(b: LexicalBuilder, name: string): LexicalSegment {
  const file = path.join(tmp, name);
  assert.equal(b.write(file), fs.statSync(file).size);
  return LexicalSegment.open(file);
}

/** MiniSearch's hits for all matching docs, best first, ties by label (as searchLexical breaks them). */
function reference(index: LexicalIndex, query: string, n: number, fields?: LexicalField[]) {
  return index
    .search(query, 1e9, undefined, fields)
    .sort((a, b) => b.score - a.score || a.label - b.label)
    .slice(0, n);
}

function assertSame(query: string, got: { label: number; score: number; terms: string[] }[], want: ReturnType<typeof reference>): void {
  assert.deepEqual(
    got.map(h => h.label),
    want.map(h => h.label),
    query,
  );
  got.forEach((h, i) => {
    assert.ok(Math.abs(h.score - want[i].score) <= 1e-9 * want[i].score, `${query}: ${h.score} vs ${want[i].score}`);
    assert.deepEqual(h.terms, want[i].terms, query);
  });
}

/** A copy of `bytes` with the u32 at `offset` set to `value`. */
function patched(bytes: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(value, offset);
  return copy;
}

describe('segmented lexical index (builder, segment file, search over parts)', () => {
  let docs: LexicalDoc[];
  let mini: LexicalIndex;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexseg-'));
    docs = corpus(3000);
    mini = LexicalIndex.create(TERMS);
    docs.forEach((d, i) => mini.add(i, d));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('scores real code as MiniSearch does, in one part and spread over three (two sealed, one with row gaps)', function () {
    if (docs.length < 2000) this.skip();
    const one: SearchedPart[] = [{ part: build(docs) }];
    const a = sealed(build(docs.slice(0, 1000)), 'a.lex');
    const b = sealed(build(docs.slice(1000, 2000)), 'b.lex');
    const c = build(docs.slice(2000), i => 2 * i + 5);
    const three: SearchedPart[] = [{ part: a }, { part: b }, { part: c }];
    const labelOf = (h: PartHit) => (h.part < 2 ? h.part * 1000 + h.row : 2000 + (h.row - 5) / 2);
    let hits = 0;
    const fieldSets: (LexicalField[] | undefined)[] = [undefined, ['body'], ['path', 'name']];
    for (const query of QUERIES) {
      for (const fields of fieldSets) {
        const want = reference(mini, query, 10, fields);
        const label = `${query} [${fields ?? 'all'}]`;
        assertSame(
          label,
          searchLexical(one, query, 10, TERMS, fields).map(h => ({ ...h, label: h.row })),
          want,
        );
        assertSame(
          label,
          searchLexical(three, query, 10, TERMS, fields).map(h => ({ ...h, label: labelOf(h) })),
          want,
        );
        hits += want.length;
      }
    }
    assert.ok(hits > QUERIES.length * 15, `only ${hits} hits: the queries hardly match the corpus`);
    a.close();
    b.close();
  });

  it('writes a file that opens with the same postings, lengths and totals, and refuses a damaged one', () => {
    const b = build(docs.slice(0, 400), i => i + 10);
    const seg = sealed(b, 'round.lex');
    assert.equal(seg.rows, 400);
    let lists = 0;
    seg.scan((term, f, postings) => {
      const field = LEXICAL_FIELDS[f];
      assert.equal(seg.docFrequency(term, field), b.docFrequency(term, field));
      assert.deepEqual(postings, b.postings(term, field), term);
      assert.deepEqual(seg.postings(term, field), postings, term);
      lists++;
    });
    assert.ok(lists > 1000, `${lists} posting lists`);
    for (const field of LEXICAL_FIELDS) {
      assert.equal(seg.fieldTotal(field), b.fieldTotal(field));
      for (let row = 0; row < 420; row++) assert.equal(seg.fieldLength(row, field), b.fieldLength(row, field));
      assert.equal(seg.docFrequency('zzznotaterm', field), 0);
      assert.equal(seg.postings('zzznotaterm', field), undefined);
    }
    assert.ok(b.fieldLength(10, 'body') > 0 && b.fieldLength(9, 'body') === 0);
    seg.close();

    const bytes = fs.readFileSync(path.join(tmp, 'round.lex'));
    const damaged: [string, Buffer][] = [
      ['cut.lex', bytes.subarray(0, bytes.length - 7)],
      ['header.lex', bytes.subarray(0, 20)],
      ['magic.lex', Buffer.concat([Buffer.from('XX'), bytes.subarray(2)])],
      ['empty.lex', Buffer.alloc(0)],
      ['version.lex', patched(bytes, 8, 99)],
      ['dictionary.lex', patched(bytes, 64 + 4, 0xffffffff)],
    ];
    for (const [name, content] of damaged) {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, content);
      assert.throws(
        () => LexicalSegment.open(file),
        (e: Error) => e.message.includes(file) && !e.message.includes('\n') && /damaged/.test(e.message),
        name,
      );
    }
  });

  it('merges a sealed segment into a builder under new rows, dropped rows gone', () => {
    const part = docs.slice(0, 600);
    const seg = sealed(build(part), 'merge.lex');
    const rowMap = new Int32Array(part.length).fill(-1);
    const kept: LexicalDoc[] = [];
    part.forEach((d, old) => {
      if (old % 3 !== 1) {
        rowMap[old] = kept.length;
        kept.push(d);
      }
    });
    const merged = LexicalBuilder.fromSegment(seg, rowMap, TERMS);
    const fresh = build(kept);
    assert.equal(merged.rows, kept.length);
    seg.scan((term, f) => {
      const field = LEXICAL_FIELDS[f];
      assert.equal(merged.docFrequency(term, field), fresh.docFrequency(term, field), term);
      assert.deepEqual(merged.postings(term, field), fresh.postings(term, field), term);
    });
    for (const field of LEXICAL_FIELDS) {
      assert.equal(merged.fieldTotal(field), fresh.fieldTotal(field));
      for (let row = 0; row <= kept.length; row++) assert.equal(merged.fieldLength(row, field), fresh.fieldLength(row, field));
    }
    // A dropped chunk's own text, searched, finds it in the segment and finds what the kept chunks alone give in the merge.
    for (const query of [...QUERIES.slice(0, 12), part[1].text, part[4].text]) {
      assert.deepEqual(
        searchLexical([{ part: merged }], query, 10, TERMS),
        searchLexical([{ part: fresh }], query, 10, TERMS),
        query.slice(0, 40),
      );
    }
    assert.equal(searchLexical([{ part: seg }], part[1].text, 1, TERMS)[0].row, 1);
    // Adds go on after the merged rows.
    merged.add(kept.length, { path: 'x/fresh.ts', symbol: 'brandNewThing', kind: 'function', text: 'brandNewThing()' });
    assert.equal(searchLexical([{ part: merged }], 'brandNewThing', 1, TERMS)[0].row, kept.length);
    assert.throws(
      () =>
        LexicalBuilder.fromSegment(
          seg,
          Int32Array.from(part, (_, i) => part.length - i),
          TERMS,
        ),
      /increasing order/,
    );
    seg.close();
  });

  it('never returns rows the filter rejects, and scores the others as without a filter', () => {
    const parts: SearchedPart[] = [{ part: sealed(build(docs.slice(0, 800)), 'f.lex') }, { part: build(docs.slice(800, 1600)) }];
    const accept = (row: number) => row % 2 === 0;
    for (const query of QUERIES) {
      const all = searchLexical(parts, query, 1e9, TERMS);
      const filtered = searchLexical(
        parts.map(p => ({ ...p, accept })),
        query,
        10,
        TERMS,
      );
      assert.ok(
        filtered.every(h => accept(h.row)),
        query,
      );
      assert.deepEqual(filtered, all.filter(h => accept(h.row)).slice(0, 10), query);
    }
    (parts[0].part as LexicalSegment).close();
  });

  it('takes Unicode terms, empty chunks and a term repeated 100,000 times', () => {
    const odd: LexicalDoc[] = [
      { path: '', symbol: '', kind: '', text: '' },
      { path: 'src/ünïcode.ts', symbol: 'naïveCafé', kind: 'function', text: 'const 日本語 = "Ωmega"; ﬀab(𝒜bc); // naïve café' },
      { path: 'big.txt', symbol: '', kind: 'lines', text: 'spam '.repeat(100_000) },
      { path: 'a/b.ts', symbol: 'plain', kind: 'function', text: 'spam eggs' },
    ];
    const b = build(odd);
    const seg = sealed(b, 'odd.lex');
    assert.equal(b.postings('spam', 'body')?.tfs[0], 0xffff, 'clamped');
    for (const part of [b, seg]) {
      for (const q of ['naïve', 'café', '日本語', 'ωmega', 'ﬀab', '𝒜bc', 'ünïcode']) {
        assert.equal(searchLexical([{ part }], q, 5, TERMS)[0]?.row, 1, q);
      }
      assert.deepEqual(
        searchLexical([{ part }], 'spam', 5, TERMS)
          .map(h => h.row)
          .sort(),
        [2, 3],
      );
      assert.equal(part.fieldLength(0, 'body'), 0);
    }
    // Apart from the clamped repeat, the same scores as MiniSearch.
    const mini4 = LexicalIndex.create(TERMS);
    odd.forEach((d, i) => mini4.add(i, d));
    assertSame(
      'café',
      searchLexical([{ part: seg }], 'naïve café', 5, TERMS).map(h => ({ ...h, label: h.row })),
      reference(mini4, 'naïve café', 5),
    );
    const empty = new LexicalBuilder(TERMS);
    assert.deepEqual(searchLexical([{ part: empty }], 'spam', 5, TERMS), []);
    const emptySeg = sealed(empty, 'empty-ok.lex');
    assert.equal(emptySeg.rows, 0);
    assert.deepEqual(searchLexical([{ part: emptySeg }, { part: seg }], 'spam', 0, TERMS), []);
    emptySeg.close();
    seg.close();
  });
});
