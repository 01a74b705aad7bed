import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../common/settings';
import { EmbeddingCache } from '../../server/src/engine/cache/embeddingCache';
import { Chunker } from '../../server/src/engine/chunker/chunker';
import { EmbedderPool } from '../../server/src/engine/embedder/embedderPool';
import { idsEmbedder } from '../../server/src/engine/embedder/onnxBackend';
import { indexFolder, IndexDeps } from '../../server/src/engine/indexer/indexer';
import { ModelTokenizer } from '../../server/src/engine/model/tokenizer';
import { ChunkSegments } from '../../server/src/engine/store/chunkSegments';
import { standinModel, workerScript } from '../helpers/standin';

const FILES: Record<string, string> = {
  'a.ts': 'export const a = 1;\n',
  'b.ts':
    'export function parseConfig(text: string): Record<string, string> {\n  return Object.fromEntries(text.split("\\n").map(l => l.split("=")));\n}\n',
  'c.ts':
    'export class Queue<T> {\n  private items: T[] = [];\n  push(item: T): void { this.items.push(item); }\n  shift(): T | undefined { return this.items.shift(); }\n}\n',
};

describe('indexer', function () {
  this.timeout(120_000);
  let root: string;
  let tok: ModelTokenizer;
  let chunker: Chunker;
  let pool: EmbedderPool;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'indexer-'));
    for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(root, name), text);
    fs.writeFileSync(path.join(root, 'copy-of-c.ts'), FILES['c.ts']);
    tok = await ModelTokenizer.load(standinModel());
    chunker = await Chunker.create();
    pool = await EmbedderPool.start({
      onnxPath: standinModel().onnxPath,
      workerScript: workerScript(),
      size: 1,
      threadsPerWorker: 2,
      memoryLimitMB: 2048,
      batchTimeoutMs: 30_000,
      maxAttempts: 3,
    });
  });
  after(async () => {
    await pool.dispose();
    chunker.dispose();
  });

  function deps(cache: EmbeddingCache, store: ChunkSegments): IndexDeps {
    return {
      modelId: 'minilm-standin',
      settings: () => ({ ...DEFAULT_SETTINGS, batchSize: 1 }),
      tokenizer: tok,
      chunker,
      embedder: idsEmbedder(pool),
      maxBatchesInFlight: 2,
      cache,
      segments: store,
    };
  }

  it('embeds identical chunks once, and nothing at all when every chunk is cached', async () => {
    const cache = new EmbeddingCache(1 << 24);
    const first = await indexFolder(root, deps(cache, ChunkSegments.create(384)), () => {});
    const chunks = first.ledger.reports().reduce((n, r) => n + r.chunks, 0);
    assert.equal(first.embedded, chunks - 1, 'copy-of-c.ts reuses the vector of c.ts');
    assert.equal(first.cacheHits, 1);
    const store = ChunkSegments.create(384);
    const second = await indexFolder(root, deps(cache, store), () => {});
    assert.equal(second.embedded, 0);
    assert.equal(second.cacheHits, chunks);
    assert.equal(store.count, chunks);
  });

  it('marks the files of a batch that failed three times as failed, with the reason, and keeps the rest', async () => {
    let events = 0;
    // One worker, batches of one: the first batch (the shortest chunk, a.ts) is killed on every attempt.
    const killFirstBatch = ({ pid, attempt }: { pid: number; attempt: number }) => {
      if (events++ === 0 || attempt > 1) process.kill(pid, 'SIGKILL');
    };
    pool.on('batch-start', killFirstBatch);
    try {
      const store = ChunkSegments.create(384);
      const out = await indexFolder(root, deps(new EmbeddingCache(1 << 24), store), () => {});
      const a = out.ledger.get('a.ts')!;
      assert.equal(a.status, 'failed');
      assert.match(a.detail ?? '', /failed 3 times.*SIGKILL/);
      assert.equal(store.chunksOf('a.ts'), 0);
      for (const p of ['b.ts', 'c.ts', 'copy-of-c.ts']) assert.equal(out.ledger.get(p)!.status, 'indexed', p);
      assert.deepEqual(out.ledger.summary(), { indexed: 3, skipped: {}, failed: 1, failedReasons: { 'embedding-failed': 1 } });
    } finally {
      pool.off('batch-start', killFirstBatch);
    }
  });
});
