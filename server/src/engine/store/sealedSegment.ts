// A segment on disk. Its graph is memory-mapped (usearch's view: pages are read as searches touch them and
// stay reclaimable page cache, not heap), its codes and postings are read on demand, and only its columns
// and lexical dictionary are held in memory. Its files never change; removed rows are marks (DeadRows).

import type { Index } from 'usearch';
import { LexicalSegment } from '../lexical/lexicalSegment';
import { ChunkColumns } from './chunkColumns';
import { DeadRows } from './deadRows';
import { graphHits, newGraph, RowHit, Segment } from './segment';
import type { SegmentFileSet } from './segmentFiles';
import { CodeFile } from './vectorCodes';

export class SealedSegment implements Segment {
  private constructor(
    readonly id: number, readonly dims: number, readonly rows: number, readonly dead: DeadRows, private readonly graph: Index,
    private readonly codeFile: CodeFile, readonly columns: ChunkColumns, readonly lexical: LexicalSegment,
  ) {}

  /**
   * Opens a sealed segment's files (their checksums already verified). `viewed`, when given, is the graph
   * the active segment just wrote and mapped (ActiveSegment.writeFiles).
   */
  static open(id: number, dims: number, rows: number, files: SegmentFileSet, dead = new DeadRows(rows), viewed?: Index): SealedSegment {
    const g = viewed ?? newGraph(dims);
    if (!viewed) g.view(files.graph);
    if (g.size() > rows || g.dimensions() !== dims) throw new Error(`${files.graph} holds ${g.size()} vectors of ${g.dimensions()} dimensions, not at most ${rows} of ${dims}`);
    const columns = ChunkColumns.read(files.columns);
    if (columns.count !== rows) throw new Error(`${files.columns} holds ${columns.count} rows, not ${rows}`);
    const codeFile = new CodeFile(files.codes, dims, rows);
    try {
      const lexical = LexicalSegment.open(files.lexical);
      return new SealedSegment(id, dims, rows, dead, g, codeFile, columns, lexical);
    } catch (e) {
      codeFile.close();
      throw e;
    }
  }

  graphSearch(vector: Float32Array, k: number): RowHit[] {
    return graphHits(this.graph, vector, k);
  }

  code(row: number): Buffer {
    return this.codeFile.row(row);
  }

  codes(first: number, count: number): Buffer {
    return this.codeFile.rowsAt(first, count);
  }

  close(): void {
    this.codeFile.close();
    this.lexical.close();
  }
}
