// web-tree-sitter and its grammars, loaded once per process: the runtime on first use, each grammar the
// first time a file of its language is chunked. A grammar that fails to load stays failed (files of that
// language fall back to line windows) instead of being retried for every file.

import * as path from 'node:path';
import * as v8 from 'node:v8';
import Parser from 'web-tree-sitter';

let runtime: Promise<void> | undefined;
const languages = new Map<string, Promise<Parser.Language | null>>();

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

export function grammarWasmPath(grammar: string): string {
  return path.join(path.dirname(require.resolve('tree-sitter-wasms/package.json')), 'out', `tree-sitter-${grammar}.wasm`);
}

/** The loaded grammar, or null when it cannot be loaded. */
export function loadGrammar(grammar: string): Promise<Parser.Language | null> {
  let lang = languages.get(grammar);
  if (!lang) {
    lang = initParserRuntime()
      .then(() => Parser.Language.load(grammarWasmPath(grammar)))
      .catch(() => null);
    languages.set(grammar, lang);
  }
  return lang;
}

export function newParser(): Parser {
  return new Parser();
}
