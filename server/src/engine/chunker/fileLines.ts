// A file's lines, each tokenized once. Because the tokenizer splits on whitespace, the ids of any line range
// are the concatenation of its lines' ids, so every token count below is a prefix-sum lookup.

import type { LineTokenizer } from '../model/tokenizer';
import { giveTurn } from '../turns';

const EMPTY = new Int32Array(0);

/** Splits on \n (as tree-sitter counts rows), dropping the \r of CRLF; a file using only \r is split on \r. */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.includes('\n') && body.includes('\r')) return body.split('\r');
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

export class FileLines {
  /** Lines over the character limit, never tokenized nor put in a chunk. */
  readonly omittedCount: number;
  private readonly prefix: Float64Array;

  private constructor(
    readonly lines: string[],
    private readonly lineIds: Int32Array[],
    private readonly omitted: Uint8Array,
  ) {
    this.prefix = new Float64Array(lines.length + 1);
    let n = 0;
    for (let i = 0; i < lines.length; i++) {
      this.prefix[i + 1] = this.prefix[i] + lineIds[i].length;
      n += omitted[i];
    }
    this.omittedCount = n;
  }

  /** Tokenizes every line, giving the event loop a turn now and then: a 20,000-line header takes ~80 ms. */
  static async from(text: string, tok: LineTokenizer, maxLineChars: number): Promise<FileLines> {
    const lines = splitLines(text);
    const ids: Int32Array[] = new Array(lines.length);
    const omitted = new Uint8Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      if (i % 1024 === 1023) await giveTurn();
      const line = lines[i];
      if (line.length > maxLineChars) {
        omitted[i] = 1;
        ids[i] = EMPTY;
      } else ids[i] = line.trim() === '' ? EMPTY : tok.encodeLine(line);
    }
    return new FileLines(lines, ids, omitted);
  }

  get count(): number {
    return this.lines.length;
  }

  isOmitted(i: number): boolean {
    return this.omitted[i] === 1;
  }

  /** True when the line has tokens: neither blank nor omitted. */
  hasContent(i: number): boolean {
    return this.lineIds[i].length > 0;
  }

  lineTokens(i: number): number {
    return this.lineIds[i].length;
  }

  idsOf(i: number): Int32Array {
    return this.lineIds[i];
  }

  /** Content tokens of lines a..b inclusive (no special tokens). */
  tokens(a: number, b: number): number {
    return this.prefix[b + 1] - this.prefix[a];
  }

  /** Ids of lines a..b inclusive, ready for withSpecialTokens. */
  idsRange(a: number, b: number): Int32Array[] {
    return this.lineIds.slice(a, b + 1);
  }

  /** The text of lines a..b inclusive, omitted lines left out. */
  text(a: number, b: number): string {
    const parts: string[] = [];
    for (let i = a; i <= b; i++) if (!this.omitted[i]) parts.push(this.lines[i]);
    return parts.join('\n');
  }

  /** The text tree-sitter parses: same rows, omitted lines emptied so a megabyte line costs nothing. */
  parseText(): string {
    return this.omittedCount === 0 ? this.lines.join('\n') : this.lines.map((l, i) => (this.omitted[i] ? '' : l)).join('\n');
  }

  /** First line at or after i (up to b) with content, or -1. */
  nextContent(i: number, b: number): number {
    for (let j = i; j <= b; j++) if (this.lineIds[j].length > 0) return j;
    return -1;
  }

  /** Last line at or before i (down to a) with content, or -1. */
  prevContent(i: number, a: number): number {
    for (let j = i; j >= a; j--) if (this.lineIds[j].length > 0) return j;
    return -1;
  }
}
