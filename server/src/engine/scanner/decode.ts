// Bytes to text, or a verdict that the bytes are not text.

/** How much of the start of a file is searched for NUL bytes, as git and grep do. */
const NUL_PROBE_BYTES = 8192;
/** Invalid UTF-8 beyond this share of characters (and this count) means binary or an unknown encoding. */
const MAX_INVALID_SHARE = 0.02;
const MAX_INVALID_COUNT = 8;

const utf8 = new TextDecoder('utf-8');   // not fatal: bad bytes become U+FFFD; strips a leading BOM

/** Latin-1 as browsers mean it (windows-1252: smart quotes in 0x80-0x9F); plain latin1 where ICU lacks it. */
function decodeLatin1(bytes: Buffer): string {
  try {
    return new TextDecoder('windows-1252').decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
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
  if (bad > MAX_INVALID_COUNT && bad > MAX_INVALID_SHARE * text.length) {
    const pct = ((100 * bad) / text.length).toFixed(0);
    return { ok: false, detail: `Not valid UTF-8 (${pct}% of characters could not be decoded), so it looks like a binary file.` };
  }
  // A few bad bytes and no valid multi-byte sequence at all: almost surely a Latin-1 file, which decodes
  // losslessly. A UTF-8 file with one stray byte keeps its UTF-8 reading, with one U+FFFD.
  if (!otherNonAscii && !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
    return { ok: true, text: decodeLatin1(bytes), note: 'Not valid UTF-8; read as Latin-1.' };
  }
  return { ok: true, text };
}
