// web-tree-sitter and its grammars, loaded once per process: the runtime on first use, each grammar the
// first time a file of its language is chunked. A grammar that fails to load stays failed (files of that
// language fall back to line windows) instead of being retried for every file.

import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Language, Parser } from 'web-tree-sitter';

/**
 * Where each grammar's prebuilt .wasm comes from: @repomix/tree-sitter-wasms (built for web-tree-sitter
 * 0.25+) for most, and the grammar's own npm package, which ships its .wasm beside its native binding (never
 * loaded), for the languages that collection lacks.
 */
const GRAMMAR_FILES: Record<string, { pkg: string; file: string }> = {
  ...Object.fromEntries(
    ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'c', 'cpp', 'c_sharp', 'ruby', 'php', 'swift'].map(g => [
      g,
      { pkg: '@repomix/tree-sitter-wasms', file: `out/tree-sitter-${g}.wasm` },
    ]),
  ),
  kotlin: { pkg: '@tree-sitter-grammars/tree-sitter-kotlin', file: 'tree-sitter-kotlin.wasm' },
  lua: { pkg: '@tree-sitter-grammars/tree-sitter-lua', file: 'tree-sitter-lua.wasm' },
  bash: { pkg: 'tree-sitter-bash', file: 'tree-sitter-bash.wasm' },
  scala: { pkg: 'tree-sitter-scala', file: 'tree-sitter-scala.wasm' },
};

export const GRAMMARS: readonly string[] = Object.keys(GRAMMAR_FILES);

let runtime: Promise<void> | undefined;
const languages = new Map<string, Promise<Language | null>>();

export function initParserRuntime(): Promise<void> {
  // Grammars run on V8's baseline wasm compiler only. Its optimizing tier recompiles a big grammar's parse
  // functions once they are hot, and the main thread waited ~1 s on that compile when the C++ grammar first
  // ran during a Linux-kernel run (measured; Node 20). Measured without it: kernel C parses ~20% slower, the
  // C++ grammar faster (no recompile), a whole 1/8-kernel run 5% slower. Wasm compiled before this call is
  // unaffected, and nothing else in the process runs wasm.
  if (!runtime) v8.setFlagsFromString('--liftoff-only');
  runtime ??= Parser.init();
  return runtime;
}

/** The .wasm file of a grammar named in GRAMMAR_FILES. */
export function grammarWasmPath(grammar: string): string {
  const where = GRAMMAR_FILES[grammar];
  if (!where) throw new Error(`No tree-sitter grammar named ${grammar}.`);
  return path.join(path.dirname(require.resolve(`${where.pkg}/package.json`)), where.file);
}

/** The loaded grammar, or null when it cannot be loaded. */
export function loadGrammar(grammar: string): Promise<Language | null> {
  let lang = languages.get(grammar);
  if (!lang) {
    lang = initParserRuntime()
      .then(() => Language.load(grammarWasmPath(grammar)))
      .catch(() => null);
    languages.set(grammar, lang);
  }
  return lang;
}

export function newParser(): Parser {
  return new Parser();
}
