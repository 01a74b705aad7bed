// Rows of a segment whose chunks were removed. A sealed segment's files never change, so its removed rows
// are only marked here (and skipped by every search); the manifest carries the marks, base64, at each save.

export class DeadRows {
  private bits: Uint8Array;
  private marked = 0;

  constructor(rows = 0) {
    this.bits = new Uint8Array(Math.ceil(rows / 8) || 16);
  }

  get count(): number {
    return this.marked;
  }

  has(row: number): boolean {
    return ((this.bits[row >> 3] ?? 0) & (1 << (row & 7))) !== 0;
  }

  mark(row: number): void {
    if (this.has(row)) return;
    if (row >> 3 >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, (row >> 3) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[row >> 3] |= 1 << (row & 7);
    this.marked++;
  }

  toBase64(rows: number): string {
    const out = Buffer.alloc(Math.ceil(rows / 8));
    out.set(this.bits.subarray(0, out.length));
    return out.toString('base64');
  }

  static fromBase64(text: string, rows: number): DeadRows {
    const dead = new DeadRows(rows);
    const bytes = Buffer.from(text, 'base64');
    dead.bits.set(bytes.subarray(0, dead.bits.length));
    for (let row = 0; row < rows; row++) if (dead.has(row)) dead.marked++;
    return dead;
  }
}
