// A segment on disk. Its graph is memory-mapped (usearch's view: pages are read as searches touch them and
// stay reclaimable page cache, not heap), its codes and postings are read on demand, and only its columns
// and lexical dictionary are held in memory. Its files never change; removed rows are marks (DeadRows).

import type { Index } from 'usearch';
import { LexicalSegment } from '../lexical/lexicalSegment';
import { ChunkColumns } from './chunkColumns';
import { DeadRows } from './deadRows';
import { graphHits, newGraph, RowHit } from './graph';
import type { Segment } from './segment';
import type { SegmentFileSet } from './segmentFiles';
import { CodeFile } from './vectorCodes';

export class SealedSegment implements Segment {
  /** Mapped when a search first needs it (SealedSegment.open). */
  private graph?: Index;

  private constructor(
    readonly id: number,
    readonly dims: number,
    readonly rows: number,
    readonly dead: DeadRows,
    private readonly graphFile: string,
    private readonly codeFile: CodeFile,
    readonly columns: ChunkColumns,
    readonly lexical: LexicalSegment,
  ) {}

  /**
   * Opens a sealed segment's files, their checksums verified (so the graph is the file the seal checked).
   * The graph is mapped at the first search, not here: usearch reads every node of a file it maps, and
   * those pages stay counted in the process's memory while it is mapped, so an index run that only adds
   * (sealing segment after segment) maps none of them.
   */
  static open(id: number, dims: number, rows: number, files: SegmentFileSet, dead = new DeadRows(rows)): SealedSegment {
    const columns = ChunkColumns.read(files.columns);
    if (columns.count !== rows) throw new Error(`${files.columns} holds ${columns.count} rows, not ${rows}`);
    const codeFile = new CodeFile(files.codes, dims, rows);
    try {
      const lexical = LexicalSegment.open(files.lexical);
      return new SealedSegment(id, dims, rows, dead, files.graph, codeFile, columns, lexical);
    } catch (e) {
      codeFile.close();
      throw e;
    }
  }

  graphSearch(vector: Float32Array, k: number): RowHit[] {
    if (!this.graph) {
      const g = newGraph(this.dims);
      g.view(this.graphFile);
      if (g.size() > this.rows)
        throw new Error(`${this.graphFile} holds ${g.size()} vectors, not at most ${this.rows}; index the folder again.`);
      this.graph = g;
    }
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
