// The health view's rows (client/src/views/healthNodes.ts, free of vscode): no rows of zeros when the model
// is the problem, plurals, the cache and last-run rows, file groups that open as folder trees.

import * as assert from 'node:assert/strict';
import type { Health } from '../../common/protocol';
import { buildNodes } from '../../client/src/views/healthNodes';

function health(over: Partial<Health> = {}): Health {
  return {
    state: 'idle',
    chunks: 1,
    vectors: 1,
    workers: [],
    folders: [
      { uri: 'file:///ws', name: 'ws', files: { indexed: 1, skipped: { 'data-file': 2 }, failed: 0 }, chunks: 1, storeBytes: 2048 },
    ],
    cache: { hits: 0, misses: 1, hitRate: 0, entries: 1 },
    model: { id: 'semsearch-code-v1@00000000', dims: 256, maxChunkTokens: 256, inProcess: true },
    ...over,
  };
}
const byId = (nodes: ReturnType<typeof buildNodes>, id: string) => nodes.find(n => n.id === id || n.id.endsWith(`/${id}`));

describe('health view rows', () => {
  it('shows no rows while the model is the problem (the welcome content explains), not rows of zeros', () => {
    const h = health({
      state: 'error',
      message: 'Model "x" is missing config.json in /m/x; ...',
      problem: { kind: 'model-missing', modelId: 'x', canDownload: false },
    });
    assert.deepEqual(buildNodes(h), []);
  });

  it('uses singular words for one, and never shows a hit rate before anything was found in the cache', () => {
    const nodes = buildNodes(health());
    assert.equal(byId(nodes, 'chunks')!.description, '1 chunk, 1 vector');
    assert.equal(byId(nodes, 'indexed')!.description, '1 file, 1 chunk');
    assert.equal(byId(nodes, 'cache')!.description, '1 entry');
    const warm = buildNodes(health({ cache: { hits: 3, misses: 1, hitRate: 0.75, entries: 4 } }));
    assert.equal(byId(warm, 'cache')!.description, '75% hit rate, 4 entries');
  });

  it('opens the indexed files and each skip or failure reason as a folder tree from the top', () => {
    const nodes = buildNodes(
      health({
        folders: [
          {
            ...health().folders[0],
            files: { indexed: 1, skipped: { 'data-file': 2 }, failed: 3, failedReasons: { 'embedding-failed': 3 } },
          },
        ],
      }),
    );
    assert.deepEqual(byId(nodes, 'indexed')!.files, { folder: 'file:///ws', status: 'indexed', dir: '', total: 1 });
    assert.deepEqual(
      byId(nodes, 'skipped')!.children!.map(c => [c.label, c.files]),
      [['data file', { folder: 'file:///ws', status: 'skipped', reason: 'data-file', dir: '', total: 2 }]],
    );
    assert.deepEqual(
      byId(nodes, 'failed')!.children!.map(c => [c.label, c.description]),
      [['embedding failed', '3 files']],
    );
  });

  it('gives the last run in chunks per second', () => {
    const nodes = buildNodes(
      health({
        lastRun: {
          seconds: 2,
          tokens: 1000,
          tokensPerSecond: 500,
          embedded: 4000,
          chunksPerSecond: 2000,
          finishedAt: new Date(0).toISOString(),
        },
      }),
    );
    assert.equal(byId(nodes, 'lastRun')!.description, '2,000 chunks/s: 4,000 chunks embedded in 2.0 s');
  });

  it('says indexing with the share of the work, the whole line beside it', () => {
    const progress = {
      phase: 'indexing' as const,
      filesDone: 5,
      filesTotal: 10,
      bytesDone: 750,
      bytesTotal: 1000,
      chunks: 40,
      chunksStored: 40,
      elapsedMs: 2000,
      filesPerSecond: 2.5,
      chunksPerSecond: 20,
    };
    const [state] = buildNodes(health({ state: 'indexing', progress }));
    assert.equal(state.label, 'Indexing 75%');
    assert.equal(state.description, '5/10 files · 40 chunks · 20 chunks/s · 0:02 elapsed');
  });

  it('says where chunks go: nowhere by default, the endpoint when one is set', () => {
    assert.equal(byId(buildNodes(health()), 'sendsTo')!.description, 'nowhere: embedded on this machine');
    const remote = buildNodes(
      health({
        model: { id: 'openai:nomic:768', dims: 768, maxChunkTokens: 256, inProcess: false, sendsChunksTo: 'http://gpu-box:8484/v1' },
      }),
    );
    assert.equal(byId(remote, 'sendsTo')!.description, 'http://gpu-box:8484/v1');
    assert.match(byId(remote, 'sendsTo')!.tooltip!, /Every chunk's text is sent to http:\/\/gpu-box:8484\/v1/);
  });
});
