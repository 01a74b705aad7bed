// The one progress model (common/progress.ts): the clock's rates and ETA, and the words every view uses.

import * as assert from 'node:assert/strict';
import { durationText, longProgressText, ProgressClock, shortProgressText, workShare, type RunCounts } from '../../common/progress';

const counts = (over: Partial<RunCounts>): RunCounts => ({
  phase: 'indexing',
  filesDone: 0,
  filesTotal: 100,
  bytesDone: 0,
  bytesTotal: 1_000_000,
  chunks: 0,
  chunksStored: 0,
  ...over,
});

describe('progress model', () => {
  it('measures work in bytes, not files: one big file done of two is most of the work', () => {
    assert.equal(workShare(counts({ filesDone: 1, filesTotal: 2, bytesDone: 900, bytesTotal: 1000 })), 0.9);
    assert.equal(workShare(counts({ phase: 'scanning' })), undefined, 'no share while the total is unknown');
    assert.equal(workShare(counts({ filesTotal: 0, bytesTotal: 0 })), 1, 'an empty folder is done');
  });

  it('gives no ETA in the first seconds, then one from the recent byte rate', () => {
    let now = 0;
    const clock = new ProgressClock(() => now);
    now = 1000;
    assert.equal(clock.report(counts({ bytesDone: 100_000 })).etaSeconds, undefined, 'too early');
    now = 5000;
    const r = clock.report(counts({ bytesDone: 500_000, filesDone: 50, chunksStored: 2000 }));
    // 400 KB in the 4 s between the two samples: 100 KB/s, 500 KB left.
    assert.equal(r.etaSeconds, 5);
    assert.equal(r.elapsedMs, 5000);
    assert.equal(r.chunksPerSecond, 400);
    assert.equal(r.filesPerSecond, 10);
  });

  it("forgets a resumed run's fast start once the window has moved on", () => {
    let now = 0;
    const clock = new ProgressClock(() => now);
    clock.report(counts({ bytesDone: 0 }));
    now = 100;
    clock.report(counts({ bytesDone: 500_000 })); // unchanged files pass in a blink
    for (let t = 1; t <= 30; t++) {
      now = 100 + t * 1000;
      clock.report(counts({ bytesDone: 500_000 + t * 10_000 })); // then 10 KB/s of real work
    }
    const r = clock.report(counts({ bytesDone: 800_000 }));
    assert.ok(r.etaSeconds! >= 15 && r.etaSeconds! <= 25, `about 20 s left at 10 KB/s: ${r.etaSeconds}`);
  });

  it('says scanning as scanning, never 0/0, and the whole line with plurals', () => {
    const clock = new ProgressClock(() => 0);
    assert.equal(shortProgressText(clock.report(counts({ phase: 'scanning', filesTotal: 1204, bytesTotal: 0 }))), 'Scanning 1,204 files');
    assert.equal(
      longProgressText(clock.report(counts({ phase: 'scanning', filesTotal: 1, bytesTotal: 0 }))),
      '1 file found · 0:00 elapsed',
    );
    const mid = {
      ...clock.report(counts({ filesDone: 1, filesTotal: 1, bytesDone: 1, bytesTotal: 1, chunks: 1, chunksStored: 1 })),
      elapsedMs: 62_000,
      chunksPerSecond: 1,
      etaSeconds: 3725,
    };
    assert.equal(longProgressText(mid), '1/1 file · 1 chunk · 1 chunks/s · 1:02 elapsed · 1:02:05 left');
    assert.equal(shortProgressText(mid), 'Indexing 100% · 1:02:05 left');
    assert.equal(longProgressText({ ...mid, folder: 'api' }).startsWith('api: '), true);
    const following = { ...mid, phase: 'updating' as const, filesDone: 56, filesTotal: 56 };
    assert.equal(shortProgressText(following), 'Updating 56 files', "no total: a changed folder's files are known only once walked");
    assert.equal(longProgressText(following), '56 files followed · 1 chunk · 1 chunks/s · 1:02 elapsed · 1:02:05 left');
  });

  it('writes durations as m:ss or h:mm:ss', () => {
    assert.deepEqual([0, 59.6, 61, 3599, 3600].map(durationText), ['0:00', '1:00', '1:01', '59:59', '1:00:00']);
  });
});
