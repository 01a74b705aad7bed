// What `semsearch index` says about a run: what changed (or that nothing did), never a rate of nothing,
// where a resumed run starts from, and what an interrupted one saved.

import * as assert from 'node:assert/strict';
import type { IndexSummary } from '../../server/src/engine/folderIndex';
import { interruptedText, resumeText, summaryText } from '../../server/src/cli/summaryText';

function summary(over: Partial<IndexSummary>): IndexSummary {
  return {
    root: '/ws',
    files: { indexed: 231, skipped: {}, failed: 0 },
    chunks: 1234,
    embedded: 12,
    cacheHits: 3,
    reused: 5,
    changes: { added: 3, changed: 2, removed: 1, unchanged: 225 },
    tokens: 4800,
    seconds: 0.84,
    tokensPerSecond: 5714,
    peakRssMB: 120,
    longestStallMs: 12,
    storeBytes: 3 * 1048576,
    storeBytesPerChunk: 2549,
    workers: [],
    cancelled: false,
    ...over,
  };
}

describe('index summary text', () => {
  it('says what changed, the chunks and where they came from, then the details', () => {
    const [first, second] = summaryText(summary({ files: { indexed: 231, skipped: { gitignored: 5, minified: 1 }, failed: 0 } }));
    assert.equal(
      first,
      'indexed 231 files: 3 added, 2 changed, 1 removed, 225 unchanged; 1,234 chunks (12 embedded, 5 reused, 3 from the cache) in 0.8 s',
    );
    assert.equal(second, 'skipped 6 (5 gitignored, 1 minified); failed 0; 5,714 tokens/s; peak RSS 120 MB; store 3.0 MB');
  });

  it('a run that changed nothing says so in one line', () => {
    const none = summary({
      embedded: 0,
      cacheHits: 0,
      reused: 0,
      tokens: 0,
      tokensPerSecond: 0,
      changes: { added: 0, changed: 0, removed: 0, unchanged: 231 },
    });
    assert.deepEqual(summaryText(none), ['nothing changed since the last run (231 files, 1,234 chunks)']);
  });

  it('never prints a rate for a run that embedded nothing; counts are singular where they are one', () => {
    const removedOnly = summary({
      files: { indexed: 1, skipped: {}, failed: 1 },
      chunks: 1,
      embedded: 0,
      cacheHits: 0,
      reused: 0,
      tokens: 0,
      tokensPerSecond: 0,
      changes: { added: 0, changed: 0, removed: 1, unchanged: 1 },
    });
    const [first, second] = summaryText(removedOnly);
    assert.equal(first, 'indexed 1 file: 1 removed, 1 unchanged; 1 chunk in 0.8 s');
    assert.doesNotMatch(second, /tokens\/s/);
    assert.match(second, /failed 1 \("semsearch files" says why\)/);
  });

  it('a rebuilt index is never "nothing changed"', () => {
    assert.match(
      summaryText(summary({ rebuilt: 'another model; it is rebuilt.', changes: { added: 0, changed: 0, removed: 0, unchanged: 0 } }))[0],
      /^indexed 231 files: none changed/,
    );
  });

  it('says where a resumed run starts: an interrupted run, or the last checkpoint of one that was killed', () => {
    const savedAt = new Date(2026, 11, 1, 13, 2, 11);
    const same = new Date(2026, 11, 1, 18, 0, 0);
    assert.equal(
      resumeText({ state: 'interrupted', chunks: 934, files: 120, savedAt: savedAt.toISOString() }, same),
      'resuming an interrupted run: 934 chunks of 120 files saved at 13:02:11',
    );
    assert.equal(
      resumeText({ state: 'checkpoint', chunks: 4096, files: 1, savedAt: savedAt.toISOString() }, new Date(2026, 11, 3)),
      'resuming a run that ended before it finished: 4,096 chunks of 1 file saved by its last checkpoint at 2026-12-01 13:02:11',
    );
  });

  it('an interrupted run says what it saved, or that the disk refused it', () => {
    assert.equal(interruptedText(summary({ cancelled: true, chunks: 934 })), 'interrupted: 934 chunks saved; run again to resume');
    assert.equal(
      interruptedText(summary({ cancelled: true, saveError: 'Could not save the index: the disk is full (ENOSPC).' })),
      'interrupted: nothing more could be saved (Could not save the index: the disk is full (ENOSPC)); the next run resumes from the last saved index',
    );
  });
});
