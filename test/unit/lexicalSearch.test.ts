// The lexical search's rules (BM25 over code terms, lexicalSearch.ts) on small hand-made chunks, in the
// active segment's builder and in a sealed segment file alike. lexicalSegment.test.ts checks the scores
// against MiniSearch on real code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TermOptions } from '../../server/src/engine/lexical/codeTerms';
import { LexicalBuilder } from '../../server/src/engine/lexical/lexicalBuilder';
import { LEXICAL_FIELDS, LexicalDoc, LexicalField, LexicalPart } from '../../server/src/engine/lexical/lexicalPart';
import { MAX_QUERY_TERMS, PartHit, POSTINGS_BUDGET, searchLexical, SearchedPart } from '../../server/src/engine/lexical/lexicalSearch';
import { LexicalSegment } from '../../server/src/engine/lexical/lexicalSegment';
import { LexicalIndex } from '../helpers/miniSearchIndex';

/** Unstemmed, so the terms below are the words as written; stemming has its own case. */
const UNSTEMMED: TermOptions = { stem: false };

const DOCS: [number, LexicalDoc][] = [
  [1, { path: 'lib/response.js', symbol: 'send', kind: 'function', text: 'function send(body) { this.end(body) }' }],
  [2, { path: 'lib/request.js', symbol: 'parseArgs', kind: 'function', text: 'function parseArgs(argv) { return argv.slice(2) }' }],
  [3, { path: 'src/util.js', symbol: 'parse_config', kind: 'function', text: 'def parse_config(path): return load(path)' }],
  [4, { path: 'src/args.js', symbol: '', kind: 'lines', text: 'const args = process.argv; // parse them later' }],
];

function builder(terms: TermOptions = UNSTEMMED): LexicalBuilder {
  const b = new LexicalBuilder(terms);
  for (const [row, doc] of DOCS) b.add(row, doc);
  return b;
}

let tmp: string;
const opened: LexicalSegment[] = [];

/** The builder written as a sealed segment's file and opened again. */
function sealed(b: LexicalBuilder, name: string): LexicalSegment {
  const file = path.join(tmp, name);
  b.write(file);
  const seg = LexicalSegment.open(file);
  opened.push(seg);
  return seg;
}

function search(part: LexicalPart, query: string, n = 10, accept?: (row: number) => boolean, fields?: LexicalField[]): PartHit[] {
  return searchLexical([{ part, accept }], query, n, UNSTEMMED, fields);
}

const rows = (hits: PartHit[]) => hits.map(h => h.row);

describe('the lexical search (BM25 over code terms)', () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexsearch-'));
  });
  after(() => {
    for (const seg of opened) seg.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const kinds: [string, () => LexicalPart][] = [
    ['in the builder', () => builder()],
    ['in a sealed segment', () => sealed(builder(), `rules-${opened.length}.lex`)],
  ];
  for (const [where, part] of kinds) {
    it(`finds an identifier typed whole first, then chunks holding its words apart (${where})`, () => {
      const hits = search(part(), 'parseArgs');
      assert.equal(hits[0].row, 2);
      assert.ok(
        hits.some(h => h.row === 4),
        'the words parse and args, apart',
      );
      assert.ok(hits[0].terms.includes('parseargs'), JSON.stringify(hits[0]));
    });

    it(`finds words inside snake_case and camelCase names (${where})`, () => {
      assert.equal(search(part(), 'parse config')[0].row, 3);
    });

    it(`finds a file by its path words: "response" finds lib/response.js, not only text that says it (${where})`, () => {
      const p = part();
      assert.deepEqual(rows(search(p, 'response')), [1]);
      assert.deepEqual(search(p, 'response', 10, undefined, ['body']), [], 'the code alone never says response');
    });

    it(`lets a filter keep only some chunks (${where})`, () => {
      assert.deepEqual(rows(search(part(), 'parse', 10, row => row !== 2)).sort(), [3, 4]);
    });

    it(`counts a term's postings per field (${where})`, () => {
      const p = part();
      const inAll = (term: string) => LEXICAL_FIELDS.reduce((sum, f) => sum + p.docFrequency(term, f), 0);
      assert.equal(p.docFrequency('parse', 'body'), 3);
      assert.equal(p.docFrequency('parse', 'name'), 2);
      assert.equal(inAll('response'), 1);
      assert.equal(inAll('nowhere'), 0);
      assert.equal(p.rows, DOCS.length);
    });
  }

  it('counts postings as the MiniSearch reference does (whose counts read its internals: this fails if an upgrade changes them)', () => {
    const mini = LexicalIndex.create(UNSTEMMED);
    for (const [row, doc] of DOCS) mini.add(row, doc);
    const b = builder();
    for (const term of ['parse', 'args', 'parseargs', 'function', 'response', 'js', 'nowhere']) {
      for (const field of LEXICAL_FIELDS) assert.equal(b.docFrequency(term, field), mini.postings(term, [field]), `${term} in ${field}`);
    }
  });

  it('never returns a removed row (its accept rejects it), and its chunk may come back in a later row with new text', () => {
    const seg = sealed(builder(), 'removed.lex');
    const active = new LexicalBuilder(UNSTEMMED);
    active.add(5, { path: 'lib/request.js', symbol: 'parseFlags', kind: 'function', text: 'function parseFlags(argv) {}' });
    const parts: SearchedPart[] = [{ part: seg, accept: row => row !== 2 }, { part: active }];
    for (const query of ['parseArgs', 'parse', 'argv', 'request']) {
      assert.ok(!searchLexical(parts, query, 10, UNSTEMMED).some(h => h.part === 0 && h.row === 2), query);
    }
    const back = searchLexical(parts, 'parseFlags', 10, UNSTEMMED);
    assert.deepEqual([back[0].part, back[0].row], [1, 5]);
    assert.equal(seg.rows + active.rows, 5, 'a removed row still counts in N, as MiniSearch counted a discarded document');
  });

  it('writes a segment that opens with the same answers, removed rows included, and keeps its term options', () => {
    const b = builder();
    const seg = sealed(b, 'same.lex');
    const accept = (row: number) => row !== 1;
    for (const query of ['parse', 'parseArgs', 'argv', 'response', 'function send']) {
      assert.deepEqual(search(seg, query, 10, accept), search(b, query, 10, accept), query);
    }
    assert.deepEqual(search(seg, 'response', 10, accept), []);

    const stemmed = new LexicalBuilder({ stem: true });
    stemmed.add(1, { path: 'a.py', symbol: '', kind: 'lines', text: 'loaders' });
    const back = sealed(stemmed, 'stemmed.lex');
    assert.deepEqual(back.terms, { stem: true }, 'the saved term options come back');
    assert.equal(searchLexical([{ part: back }], 'loader', 1, back.terms)[0].row, 1);
    assert.deepEqual(sealed(builder(), 'unstemmed.lex').terms, { stem: false });
    assert.throws(() => LexicalBuilder.fromSegment(back, new Int32Array([0, 0]), UNSTEMMED), /other term options/);
  });

  it('leaves a common term out of a query that has rarer ones, within the postings budget; a common term alone is still searched', () => {
    const common = POSTINGS_BUDGET + 1000;
    const doc = (i: number): LexicalDoc => ({ path: `f${i}.js`, symbol: '', kind: 'lines', text: i < 5 ? 'value rareword' : 'value' });
    const b = new LexicalBuilder(UNSTEMMED);
    for (let i = 0; i < common; i++) b.add(i, doc(i));
    for (const part of [b, sealed(b, 'budget.lex')]) {
      const both = search(part, 'rareword value', 100);
      assert.deepEqual(
        rows(both).sort((x, y) => x - y),
        [0, 1, 2, 3, 4],
        'only the rare term was searched',
      );
      assert.ok(both.every(h => h.terms.join() === 'rareword'));
      assert.equal(search(part, 'value', 100).length, 100, 'the only term is kept whatever it costs');
    }
    // The budget counts a term's postings over all parts: each half alone is within it, the two together are not.
    const first = new LexicalBuilder(UNSTEMMED);
    const second = new LexicalBuilder(UNSTEMMED);
    for (let i = 0; i < common; i++) (i < common / 2 ? first : second).add(i, doc(i));
    const many = Array.from({ length: MAX_QUERY_TERMS + 5 }, (_, i) => `word${i}`).join(' ');
    second.add(common, { path: 'many.js', symbol: '', kind: 'lines', text: many });
    const halves: SearchedPart[] = [{ part: sealed(first, 'first-half.lex') }, { part: second }];
    assert.ok(first.docFrequency('value', 'body') < POSTINGS_BUDGET && second.docFrequency('value', 'body') < POSTINGS_BUDGET);
    const both = searchLexical(halves, 'rareword value', 100, UNSTEMMED);
    assert.deepEqual(
      both.map(h => `${h.part}:${h.row}`),
      ['0:0', '0:1', '0:2', '0:3', '0:4'],
      'only the rare term was searched',
    );
    assert.ok(both.every(h => h.terms.join() === 'rareword'));
    const hit = searchLexical(halves, many, 1, UNSTEMMED)[0];
    assert.deepEqual([hit.part, hit.row], [1, common]);
    assert.ok(hit.terms.length > 0 && hit.terms.length <= MAX_QUERY_TERMS, `${hit.terms.length} terms`);
  });
});
