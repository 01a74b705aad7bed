import * as assert from 'node:assert/strict';
import { Candidate, fuse, LEXICAL_WEIGHT, SideHit } from '../../server/src/engine/search/fusion';
import { ALL_RULES, finalize, looksLikeCode, NO_RULES, rank, RankingRules } from '../../server/src/engine/search/ranking';
import type { ChunkMeta } from '../../server/src/engine/store/chunkSegments';

let nextLabel = 0;
function hit(path: string, score: number, more: Partial<ChunkMeta> = {}): SideHit {
  return { label: nextLabel++, meta: { path, startLine: 1, endLine: 5, symbol: '', kind: 'lines', ...more }, score };
}

function candidate(path: string, score: number, more: Partial<ChunkMeta> = {}): Candidate {
  const h = hit(path, score, more);
  return { label: h.label, meta: h.meta, score, why: { boosts: [] } };
}

const only = (rule: keyof RankingRules): RankingRules => ({ ...NO_RULES, [rule]: true });
const paths = (cs: { meta: ChunkMeta }[]) => cs.map(c => c.meta.path);

describe('fusion', () => {
  it('weighted: each side normalised onto [0, 1], then weighted; a chunk both sides found adds both', () => {
    const both = hit('both.ts', 10);
    const lexical = [hit('lex.ts', 20), both];
    const semantic = [{ ...both, score: 0.9 }, hit('sem.ts', 0.5)];
    const fused = fuse(lexical, semantic, 'weighted');
    const by = new Map(fused.map(c => [c.meta.path, c]));
    assert.equal(by.get('lex.ts')!.score, LEXICAL_WEIGHT);
    assert.equal(by.get('sem.ts')!.score, 0, 'the lowest cosine of the list scales to 0');
    assert.ok(Math.abs(by.get('both.ts')!.score - (LEXICAL_WEIGHT * 0.5 + (1 - LEXICAL_WEIGHT))) < 1e-9);
    assert.equal(fused[0].meta.path, 'both.ts');
    assert.deepEqual(by.get('both.ts')!.why.lexical, { rank: 2, score: 10, terms: [] });
    assert.deepEqual(by.get('both.ts')!.why.semantic, { rank: 1, score: 0.9 });
    assert.equal(by.get('lex.ts')!.why.semantic, undefined);
  });

  it('one side alone keeps its own order and full weight', () => {
    const fused = fuse([hit('a.ts', 3), hit('b.ts', 1.5)], []);
    assert.deepEqual(
      fused.map(c => c.score),
      [1, 0.5],
    );
  });

  it('RRF: 1 / (60 + rank) from each side, so agreement beats one strong rank', () => {
    const shared = hit('shared.ts', 1);
    const fused = fuse([hit('top-lex.ts', 100), shared], [hit('top-sem.ts', 0.99), { ...shared, score: 0.5 }], 'rrf');
    assert.equal(fused[0].meta.path, 'shared.ts');
    assert.ok(Math.abs(fused[0].score - 2 / 62) < 1e-12);
  });
});

describe('ranking rules', () => {
  it('definitions: an identifier query lifts the chunk that defines it and the file named after it', () => {
    const use = candidate('src/app.ts', 1, { symbol: 'main', kind: 'function' });
    const def = candidate('src/parser.ts', 0.6, { symbol: 'Parser.parseArgs', kind: 'method' });
    const named = candidate('src/parse_args.py', 0.5, { symbol: 'helper', kind: 'function' });
    const ranked = rank([use, def, named], 'parseArgs', only('definitions'));
    assert.deepEqual(paths(ranked), ['src/parser.ts', 'src/app.ts', 'src/parse_args.py']);
    assert.deepEqual(def.why.boosts, ['defines']);
    assert.deepEqual(named.why.boosts, ['file-name']);
    assert.equal(
      rank([candidate('a.ts', 1, { symbol: 'parseArgs', kind: 'function' })], 'parse the args', only('definitions'))[0].score,
      1,
      'prose is not an identifier',
    );
  });

  it('exact: pasted lines lift the chunk that holds them word for word, in proportion to the lines it holds', () => {
    const elsewhere = candidate('a.ts', 1);
    const here = candidate('b.ts', 0.5);
    const half = candidate('c.ts', 0.5);
    const texts = new Map([
      [elsewhere.label, 'let x = compute(y);'],
      [here.label, 'if (ready) {\n    start(engine);\n  }'],
      [half.label, 'if (ready) {'],
    ]);
    const ranked = rank([elsewhere, here, half], 'if (ready) {\nstart(engine);', only('exact'), texts);
    assert.deepEqual(paths(ranked), ['b.ts', 'a.ts', 'c.ts']);
    assert.equal(here.score, 1.5);
    assert.equal(half.score, 1);
    assert.ok(looksLikeCode('foo();') && looksLikeCode('a\nb') && !looksLikeCode('parse the args'));
  });

  it('pathWords: query words naming a file or folder lift it; identifiers and code do not use this rule', () => {
    const other = candidate('lib/util.js', 1);
    const file = candidate('lib/response.js', 0.9);
    const folder = candidate('router/layers/index.js', 0.85);
    assert.deepEqual(paths(rank([other, file, folder], 'send the responses back through a router', only('pathWords'))), [
      'lib/response.js',
      'router/layers/index.js',
      'lib/util.js',
    ]);
    assert.deepEqual(file.why.boosts, ['path-words']);
  });

  it('demote: tests, examples, fixtures, vendored, compat and .d.ts files go down unless the query asks for them', () => {
    const demoted = [
      'test/a.js',
      'src/__tests__/a.js',
      'pkg/a_test.go',
      'a.spec.ts',
      'tests/test_a.py',
      'examples/a.py',
      'fixtures/a.json',
      'vendor/a.c',
      'third_party/a.cc',
      'compat/a.js',
      'types/index.d.ts',
      'src/FooTest.java',
    ];
    for (const p of demoted) {
      const c = candidate(p, 1);
      rank([c], 'open a connection', only('demote'));
      assert.equal(c.score, 0.5, p);
    }
    const kept = candidate('src/latest.js', 1);
    rank([kept], 'open a connection', only('demote'));
    assert.equal(kept.score, 1);
    const asked = candidate('test/a.js', 1);
    rank([asked], 'tests for the connection pool', only('demote'));
    assert.equal(asked.score, 1, 'asked for');
    const pasted = candidate('test/a.js', 1);
    rank([pasted], 'conn.open();\nconn.close();', only('demote'));
    assert.equal(pasted.score, 1, 'pasted code is wanted where it is');
  });

  it('collapse: identical chunks in several files become one result that says where else it is', () => {
    const list = [
      candidate('src/a.js', 1, { key: 'k1' }),
      candidate('dist/bundle.js', 0.9, { key: 'k1' }),
      candidate('src/b.js', 0.8, { key: 'k2' }),
      candidate('copy/a.js', 0.7, { key: 'k1' }),
    ];
    const out = finalize(list, 10, only('collapse'));
    assert.deepEqual(paths(out), ['src/a.js', 'src/b.js']);
    assert.deepEqual(out[0].alsoIn, ['dist/bundle.js', 'copy/a.js']);
    assert.equal(out[1].alsoIn, undefined);
    assert.equal(finalize(list, 10, NO_RULES).length, 4);
  });

  it("diversify: a file's later chunks are discounted so other files reach the top", () => {
    const list = [candidate('a.js', 1), candidate('a.js', 0.95), candidate('a.js', 0.9), candidate('b.js', 0.8)];
    assert.deepEqual(paths(finalize(list, 3, only('diversify'))), ['a.js', 'b.js', 'a.js']);
    assert.deepEqual(paths(finalize(list, 3, NO_RULES)), ['a.js', 'a.js', 'a.js']);
  });

  it("all rules together keep a query's best result when no rule applies", () => {
    const list = [candidate('src/x.ts', 1), candidate('src/y.ts', 0.5)];
    assert.deepEqual(paths(finalize(rank(list, 'something unrelated', ALL_RULES), 10, ALL_RULES)), ['src/x.ts', 'src/y.ts']);
  });
});
