import * as assert from 'node:assert/strict';
import { codeTerms, fileStem, pathText, queryTerms, splitIdentifier } from '../../server/src/engine/lexical/codeTerms';

const UNSTEMMED = { stem: false };

describe('code terms for the lexical index', () => {
  it('splits camelCase, PascalCase, snake_case, kebab-case, acronyms and digits into lower-case words', () => {
    assert.deepEqual(splitIdentifier('parseArgs'), ['parse', 'args']);
    assert.deepEqual(splitIdentifier('FileSystemLoader'), ['file', 'system', 'loader']);
    assert.deepEqual(splitIdentifier('max_chunk_tokens'), ['max', 'chunk', 'tokens']);
    assert.deepEqual(splitIdentifier('content-type'), ['content', 'type']);
    assert.deepEqual(splitIdentifier('parseHTTPResponse2'), ['parse', 'http', 'response', '2']);
    assert.deepEqual(splitIdentifier('XMLHttpRequest'), ['xml', 'http', 'request']);
    assert.deepEqual(splitIdentifier('utf8Decode'), ['utf', '8', 'decode']);
  });

  it('keeps an identifier whole beside its words, and a plain word once', () => {
    assert.deepEqual(codeTerms('const parseArgs = argv', UNSTEMMED), ['const', 'parseargs', 'parse', 'args', 'argv']);
    assert.deepEqual(codeTerms('def luaH_resize(t):', UNSTEMMED), ['def', 'luah_resize', 'lua', 'resize']);
    assert.deepEqual(codeTerms('"content-type"', UNSTEMMED), ['content-type', 'content', 'type']);
  });

  it('drops English glue words, one-letter terms and runs too long to be words', () => {
    assert.deepEqual(codeTerms('the x of a list'), ['list']);
    assert.deepEqual(codeTerms(`id = "${'A'.repeat(80)}"`), ['id']);
  });

  it('stems words and word parts by default, never a whole identifier', () => {
    assert.deepEqual(codeTerms('parsing loaders', UNSTEMMED), ['parsing', 'loaders']);
    assert.deepEqual(codeTerms('parsing loaders'), ['pars', 'loader']);
    assert.deepEqual(codeTerms('parseArgs'), ['parseargs', 'pars', 'arg']);
  });

  it('weights the words split out of a typed identifier below the identifier itself', () => {
    const w = queryTerms('parseArgs options', UNSTEMMED);
    assert.equal(w.get('parseargs'), 1);
    assert.equal(w.get('parse'), 0.5);
    assert.equal(w.get('args'), 0.5);
    assert.equal(w.get('options'), 1);
  });

  it('names a chunk by its file stem and last two folders', () => {
    assert.equal(fileStem('lib/response.test.js'), 'response');
    assert.equal(fileStem('.eslintrc.js'), '.eslintrc');
    assert.equal(pathText('a/b/lib/http/response.js'), 'response lib http');
    assert.equal(pathText('main.go'), 'main');
  });
});
