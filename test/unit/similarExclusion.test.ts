import * as assert from 'node:assert/strict';
import type { SearchResultItem } from '../../common/protocol';
import { withoutSource } from '../../common/similarExclusion';

/** A result of 1-based lines first..last, as the server sends it (0-based start, exclusive end line). */
function result(uri: string, first: number, last: number): SearchResultItem {
  return {
    uri,
    path: uri.split('/').pop()!,
    range: { start: { line: first - 1, character: 0 }, end: { line: last, character: 0 } },
    symbol: '',
    kind: 'function',
    score: 1,
    snippet: '',
    why: { boosts: [] },
  };
}

describe('Find Similar leaves out the code it started from', () => {
  const a = 'file:///ws/a.py';
  const results = [result(a, 10, 20), result(a, 21, 30), result(a, 1, 9), result('file:///ws/b.py', 10, 20)];
  const lines = (rs: SearchResultItem[]) => rs.map(r => `${r.path}:${r.range.start.line + 1}-${r.range.end.line}`);

  it('drops results of the same file whose lines overlap the selection, keeps the rest', () => {
    // Selection on 0-based lines 14..16 (1-based 15..17): inside a.py:10-20 only.
    assert.deepEqual(lines(withoutSource(results, { uri: a, startLine: 14, endLine: 16 })), ['a.py:21-30', 'a.py:1-9', 'b.py:10-20']);
  });

  it('treats touching lines exactly: the line after a chunk is not in it', () => {
    // 0-based line 20 is 1-based line 21: the first line of a.py:21-30, the line after a.py:10-20.
    assert.deepEqual(lines(withoutSource(results, { uri: a, startLine: 20, endLine: 20 })), ['a.py:10-20', 'a.py:1-9', 'b.py:10-20']);
  });

  it('compares URIs after normalizing them, and keeps everything without a source', () => {
    const encoded = [result('file:///ws/a%20b.py', 1, 5)];
    assert.deepEqual(
      withoutSource(encoded, { uri: 'file:///ws/a b.py', startLine: 0, endLine: 0 }, u => decodeURI(u)),
      [],
    );
    assert.equal(withoutSource(results, undefined).length, results.length);
  });
});
