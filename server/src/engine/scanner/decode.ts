// Bytes to text, or a verdict that the bytes are not text.

/** How much of the start of a file is searched for NUL bytes, as git and grep do. */
const NUL_PROBE_BYTES = 8192;
/** Invalid UTF-8 beyond this share of characters (and this count) means binary or an unknown encoding. */
const MAX_INVALID_SHARE = 0.02;
const MAX_INVALID_COUNT = 8;

const utf8 = new TextDecoder('utf-8'); // not fatal: bad bytes become U+FFFD; strips a leading BOM

/** Latin-1 as browsers mean it (windows-1252: smart quotes in 0x80-0x9F); plain latin1 where ICU lacks it. */
function decodeLatin1(bytes: Buffer): string {
  try {
    return new TextDecoder('windows-1252').decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Latin-1 text has letters and punctuation above 0x7F, not a majority of them, and almost no control bytes. */
const MAX_LATIN1_HIGH_SHARE = 0.3;
const MAX_LATIN1_CONTROL_SHARE = 0.01;

/**
 * True when bytes with no valid UTF-8 multi-byte sequence read as Latin-1 prose or code: a French comment
 * block can make 5% of the characters accented, far past the invalid-UTF-8 share that means binary.
 */
function looksLikeLatin1(bytes: Buffer): boolean {
  let high = 0;
  let control = 0;
  for (const b of bytes) {
    if (b >= 0x80) high++;
    else if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) control++;
  }
  return high <= MAX_LATIN1_HIGH_SHARE * bytes.length && control <= MAX_LATIN1_CONTROL_SHARE * bytes.length;
}

export type Decoded = { ok: true; text: string; note?: string } | { ok: false; detail: string };

function countReplacements(text: string): { bad: number; otherNonAscii: boolean } {
  let bad = 0;
  let otherNonAscii = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) bad++;
    else if (c > 0x7f) otherNonAscii = true;
  }
  return { bad, otherNonAscii };
}

export function decode(bytes: Buffer): Decoded {
  if (bytes.subarray(0, NUL_PROBE_BYTES).includes(0)) {
    return { ok: false, detail: 'Contains NUL bytes, so it looks like a binary file.' };
  }
  const text = utf8.decode(bytes);
  const { bad, otherNonAscii } = countReplacements(text);
  if (bad === 0) return { ok: true, text };
  // No valid multi-byte sequence at all, and either a few bad bytes or bytes shaped like text: almost surely a
  // Latin-1 file, which decodes losslessly. A UTF-8 file with one stray byte keeps its UTF-8 reading.
  const fewBad = bad <= MAX_INVALID_COUNT || bad <= MAX_INVALID_SHARE * text.length;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (!otherNonAscii && !bom && (fewBad || looksLikeLatin1(bytes))) {
    return { ok: true, text: decodeLatin1(bytes), note: 'Not valid UTF-8; read as Latin-1.' };
  }
  if (!fewBad) {
    const pct = ((100 * bad) / text.length).toFixed(0);
    return { ok: false, detail: `Not valid UTF-8 (${pct}% of characters could not be decoded), so it looks like a binary file.` };
  }
  return { ok: true, text };
}
