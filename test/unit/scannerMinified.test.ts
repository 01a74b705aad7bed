import * as assert from 'node:assert/strict';
import { lineStats, looksMinified } from '../../server/src/engine/scanner/lineStats';

const code = (i: number) => `  if (items[${i}].enabled) { total += weigh(items[${i}], options); }`;
const lines = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join('\n');

describe('scanner minified rule', () => {
  it('(a) a bundle of one huge line after a short license header is minified', () => {
    assert.equal(looksMinified(`/*! lib v2 | MIT */\n${'a=b+c;'.repeat(200_000)}`), true);
    assert.equal(looksMinified(`/**\n * lib v2\n * (c) someone\n * MIT\n */\n${'a=b+c;'.repeat(200_000)}\n`), true);
  });

  it('(a) a bundle with a 9-line header is still minified', () => {
    assert.equal(looksMinified(`${lines(9, i => `// header ${i}`)}\n${'x'.repeat(50_000)}`), true);
  });

  it('(b) many lines of 300-2000 characters are minified', () => {
    assert.equal(looksMinified(lines(200, i => 'f(1,2);'.repeat(50 + ((i * 13) % 230)))), true);
    // lightly minified code wrapped at 500 columns: no line reaches maxLineChars
    assert.equal(looksMinified(lines(400, () => 'var q=z(1);'.repeat(45).slice(0, 500))), true);
  });

  it('(c) 50+ ordinary lines with one 1,000,000-character line are not minified', () => {
    const text = `${lines(25, code)}\nconst blob = "${'A'.repeat(1_000_000)}";\n${lines(25, code)}\n`;
    assert.equal(looksMinified(text), false);
    assert.equal(lineStats(text).long, 1);
  });

  it('(d) source with 10% of lines at 150-250 characters is not minified', () => {
    const text = lines(300, i => (i % 10 === 0 ? `  // ${'explains '.repeat(17 + (i % 11))}` : code(i)));
    assert.equal(looksMinified(text), false);
  });

  it('ignores blank lines and CRLF endings when counting', () => {
    assert.deepEqual(lineStats('a\r\n\r\n   \n\t\nb'), { nonBlank: 2, wide: 0, long: 0 });
    assert.deepEqual(lineStats(`${'x'.repeat(1001)}\r\n${'y'.repeat(1000)}\r\n`), { nonBlank: 2, wide: 2, long: 1 });
  });

  it('classifies a 1 MB file in a few milliseconds', () => {
    const text = lines(25_000, code).slice(0, 1024 * 1024);
    looksMinified(text); // warm up the JIT
    const start = process.hrtime.bigint();
    assert.equal(looksMinified(text), false);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(ms < 50, `${ms.toFixed(1)} ms`);
  });
});
