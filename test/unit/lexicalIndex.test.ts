import * as assert from 'node:assert/strict';
import { LexicalIndex, MAX_QUERY_TERMS, POSTINGS_BUDGET } from '../../server/src/engine/lexical/lexicalIndex';

/** Unstemmed, so the terms below are the words as written; stemming has its own case. */
function index(): LexicalIndex {
  const lex = LexicalIndex.create({ stem: false });
  lex.add(1, { path: 'lib/response.js', symbol: 'send', kind: 'function', text: 'function send(body) { this.end(body) }' });
  lex.add(2, { path: 'lib/request.js', symbol: 'parseArgs', kind: 'function', text: 'function parseArgs(argv) { return argv.slice(2) }' });
  lex.add(3, { path: 'src/util.js', symbol: 'parse_config', kind: 'function', text: 'def parse_config(path): return load(path)' });
  lex.add(4, { path: 'src/args.js', symbol: '', kind: 'lines', text: 'const args = process.argv; // parse them later' });
  return lex;
}

describe('the lexical index (BM25 over code terms)', () => {
  it('finds an identifier typed whole first, then chunks holding its words apart', () => {
    const hits = index().search('parseArgs', 10);
    assert.equal(hits[0].label, 2);
    assert.ok(hits.some(h => h.label === 4), 'the words parse and args, apart');
    assert.ok(hits[0].terms.includes('parseargs'), JSON.stringify(hits[0]));
  });

  it('finds words inside snake_case and camelCase names', () => {
    assert.equal(index().search('parse config', 10)[0].label, 3);
  });

  it('finds a file by its path words: "response" finds lib/response.js, not only text that says it', () => {
    assert.deepEqual(index().search('response', 10).map(h => h.label), [1]);
    assert.deepEqual(index().search('response', 10, undefined, ['body']), [], 'the code alone never says response');
  });

  it('forgets discarded chunks, and a label may come back with new text', () => {
    const lex = index();
    lex.discard(2);
    lex.discard(99);   // unknown: nothing happens
    assert.ok(!lex.search('parseArgs', 10).some(h => h.label === 2));
    lex.add(5, { path: 'lib/request.js', symbol: 'parseFlags', kind: 'function', text: 'function parseFlags(argv) {}' });
    assert.equal(lex.search('parseFlags', 10)[0].label, 5);
    assert.equal(lex.count, 4);
  });

  it('saves to JSON and loads back the same answers, discards included', () => {
    const lex = index();
    lex.discard(1);
    const back = LexicalIndex.fromJSON(lex.toJSON());
    assert.deepEqual(back.search('parse', 10), lex.search('parse', 10));
    assert.deepEqual(back.search('response', 10), []);
    const stemmed = LexicalIndex.create({ stem: true });
    stemmed.add(1, { path: 'a.py', symbol: '', kind: 'lines', text: 'loaders' });
    assert.equal(LexicalIndex.fromJSON(stemmed.toJSON()).search('loader', 1)[0].label, 1, 'the saved term options come back');
  });

  it('lets a filter keep only some chunks', () => {
    assert.deepEqual(index().search('parse', 10, label => label !== 2).map(h => h.label).sort(), [3, 4]);
  });

  it('counts a term\'s postings per field (MiniSearch\'s internal shape: this fails if an upgrade changes it)', () => {
    const lex = index();
    assert.equal(lex.postings('parse', ['body']), 3);
    assert.equal(lex.postings('parse', ['name']), 2);
    assert.equal(lex.postings('response'), 1);
    assert.equal(lex.postings('nowhere'), 0);
  });

  it('leaves a common term out of a query that has rarer ones, within the postings budget; a common term alone is still searched', () => {
    const lex = LexicalIndex.create({ stem: false });
    const common = POSTINGS_BUDGET + 1000;
    for (let i = 0; i < common; i++) lex.add(i, { path: `f${i}.js`, symbol: '', kind: 'lines', text: i < 5 ? 'value rareword' : 'value' });
    const both = lex.search('rareword value', 100);
    assert.deepEqual(both.map(h => h.label).sort((a, b) => a - b), [0, 1, 2, 3, 4], 'only the rare term was searched');
    assert.ok(both.every(h => h.terms.join() === 'rareword'));
    assert.equal(lex.search('value', 100).length, 100, 'the only term is kept whatever it costs');
    const many = Array.from({ length: MAX_QUERY_TERMS + 5 }, (_, i) => `word${i}`).join(' ');
    lex.add(common, { path: 'many.js', symbol: '', kind: 'lines', text: many });
    assert.ok(lex.search(many, 1)[0].terms.length <= MAX_QUERY_TERMS);
  });
});
