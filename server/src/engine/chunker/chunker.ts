// The chunker's entry: one file's text -> chunks that each fit the model's token budget, drawn at
// declarations for the languages we have grammars for and as overlapping line windows for everything else.

import type { Language, Parser, Tree } from 'web-tree-sitter';
import type { EngineSettings } from '../../../../common/settings';
import type { LineTokenizer } from '../model/tokenizer';
import type { Chunk } from '../types';
import { declarationPieces } from './declarationChunker';
import { collectDeclarations, type Decl } from './declarations';
import { FileLines } from './fileLines';
import { initParserRuntime, loadGrammar, newParser } from './grammars';
import { grammarForPath, specForGrammar } from './languages';
import { TEXT_WINDOWS } from './lineWindows';
import { mergeTinyPieces, toChunk, type Piece } from './pieces';
import { windowPieces } from './tokenBudget';
import { takeTurn } from '../turns';

export interface ChunkOptions {
  /** Tokens per chunk, [CLS] and [SEP] included. */
  maxTokens: number;
  /** Chunks kept per file; the rest are counted in totalChunks. */
  maxChunksPerFile: number;
  /** Longer lines are left out of chunks (and never tokenized). */
  maxLineChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxTokens: 256, maxChunksPerFile: 200, maxLineChars: 1000 };

export function chunkOptionsFromSettings(s: Pick<EngineSettings, 'maxChunkTokens' | 'maxChunksPerFile'>): ChunkOptions {
  return { ...DEFAULT_CHUNK_OPTIONS, maxTokens: s.maxChunkTokens, maxChunksPerFile: s.maxChunksPerFile };
}

export interface ChunkFileResult {
  chunks: Chunk[];
  omittedLongLines: number;
  /** Chunks before the per-file cap. */
  totalChunks: number;
  capped: boolean;
  /** The grammar that drew the boundaries, or 'text' for line windows. */
  language: string;
}

/**
 * A parse runs in slices of this long with a turn of the event loop between them: one 875 KB C file takes
 * ~200 ms to parse, which would hold up the process's requests. tree-sitter keeps its place when a slice runs
 * out, and the same text resumes it.
 */
const PARSE_SLICE_MS = 10;
/** A parse that takes longer than this in all is abandoned for line windows. */
const PARSE_LIMIT_MS = 5_000;

export class Chunker {
  /** One parse at a time: a parse in slices is resumed with its own text, so two files must not interleave. */
  private parsing: Promise<unknown> = Promise.resolve();

  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<Chunker> {
    await initParserRuntime();
    return new Chunker(newParser());
  }

  /** Never throws for bad input: unparsable code falls back to line windows. Async only because a
   *  grammar loads the first time its language is seen. */
  async chunkFile(path: string, text: string, tok: LineTokenizer, opts: Partial<ChunkOptions> = {}): Promise<ChunkFileResult> {
    const o = { ...DEFAULT_CHUNK_OPTIONS, ...opts };
    const budget = Math.max(1, o.maxTokens - 2);
    const lines = await FileLines.from(text, tok, o.maxLineChars);
    const grammar = grammarForPath(path, text);
    const decls = grammar ? await this.declarations(grammar, lines) : null;
    const raw: Piece[] = decls
      ? declarationPieces(decls, lines, tok, budget)
      : windowPieces(lines, tok, 0, lines.count - 1, { symbol: '', kind: 'lines' }, { budget, ...TEXT_WINDOWS });
    const pieces = mergeTinyPieces(raw, lines, budget);
    const kept = pieces.slice(0, Math.max(0, o.maxChunksPerFile));
    return {
      chunks: kept.map(p => toChunk(p, path, lines, tok)),
      omittedLongLines: lines.omittedCount,
      totalChunks: pieces.length,
      capped: kept.length < pieces.length,
      language: decls && grammar ? grammar : 'text',
    };
  }

  /** The file's declarations, or null when the grammar is unavailable or parsing fails. */
  private async declarations(grammar: string, lines: FileLines): Promise<Decl[] | null> {
    const spec = specForGrammar(grammar);
    const language = await loadGrammar(grammar);
    if (!spec || !language) return null;
    const parsed = this.parsing.then(() => this.parseInSlices(language, lines.parseText()));
    this.parsing = parsed.catch(() => undefined);
    let tree: Tree | undefined;
    try {
      tree = await parsed;
      return tree ? collectDeclarations(tree.rootNode, spec) : null;
    } catch {
      return null;
    } finally {
      tree?.delete();
    }
  }

  /**
   * The tree, or undefined once its slices took PARSE_LIMIT_MS in all (time spent parsing, not waiting for a
   * turn, so a busy process cuts a file as an idle one does); throws when the grammar cannot be used.
   */
  private async parseInSlices(language: Language, text: string): Promise<Tree | undefined> {
    let parsingMs = 0;
    let sliceEnd = 0;
    // tree-sitter calls this every hundred or so steps; true pauses the parse (parse() returns null).
    const options = { progressCallback: () => performance.now() > sliceEnd };
    try {
      this.parser.setLanguage(language);
      for (;;) {
        const slice = performance.now();
        sliceEnd = slice + PARSE_SLICE_MS;
        const tree = this.parser.parse(text, null, options);
        if (tree) return tree;
        parsingMs += performance.now() - slice;
        if (parsingMs > PARSE_LIMIT_MS) return undefined;
        await takeTurn();
      }
    } finally {
      // A parse that did not end with a tree leaves the parser mid-way: the next one must start afresh.
      try {
        this.parser.reset();
      } catch {
        /* the next parse starts from a fresh tree anyway */
      }
    }
  }

  /**
   * Frees the parser's wasm memory once a parse under way ends; the Chunker is unusable afterwards. Grammars
   * stay loaded for the process.
   */
  dispose(): void {
    void this.parsing.then(() => this.parser.delete());
  }
}
