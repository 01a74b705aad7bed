// Which grammar parses a file, and what each grammar calls a declaration.

import * as path from 'node:path';
import { bashSpec } from './languages/bash';
import { cLikeSpec } from './languages/c';
import { csharpSpec } from './languages/csharp';
import { goSpec } from './languages/go';
import { javaSpec } from './languages/java';
import { javascriptSpec } from './languages/javascript';
import { kotlinSpec } from './languages/kotlin';
import { luaSpec } from './languages/lua';
import { phpSpec } from './languages/php';
import { pythonSpec } from './languages/python';
import { rubySpec } from './languages/ruby';
import { rustSpec } from './languages/rust';
import { scalaSpec } from './languages/scala';
import { swiftSpec } from './languages/swift';
import type { LanguageSpec } from './syntax';

/** Grammar names are the keys of grammars.ts's GRAMMAR_FILES. */
const GRAMMAR_BY_EXTENSION: Record<string, string> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  // The javascript grammar parses JSX too.
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.hpp': 'cpp',
  '.hh': 'cpp',
  '.hxx': 'cpp',
  '.cs': 'c_sharp',
  '.rb': 'ruby',
  '.rake': 'ruby',
  '.gemspec': 'ruby',
  '.php': 'php',
  '.phtml': 'php',
  '.kt': 'kotlin',
  '.kts': 'kotlin',
  '.swift': 'swift',
  '.scala': 'scala',
  '.sc': 'scala',
  '.sh': 'bash',
  '.bash': 'bash',
  '.lua': 'lua',
};

const SPECS: Record<string, LanguageSpec> = {
  typescript: javascriptSpec,
  tsx: javascriptSpec,
  javascript: javascriptSpec,
  python: pythonSpec,
  go: goSpec,
  rust: rustSpec,
  java: javaSpec,
  c: cLikeSpec,
  cpp: cLikeSpec,
  c_sharp: csharpSpec,
  ruby: rubySpec,
  php: phpSpec,
  kotlin: kotlinSpec,
  swift: swiftSpec,
  scala: scalaSpec,
  bash: bashSpec,
  lua: luaSpec,
};

/** Signs that a .h file is C++: the C grammar turns templates and classes into parse errors. */
const CPP_HINTS =
  /^\s*(template\s*<|namespace\s+[\w:]*\s*\{|class\s+\w+\s*(final\s*)?[:{]|(public|private|protected)\s*:|using\s+namespace\b)|\w::\w/m;
const SNIFF_CHARS = 64 * 1024;

/** The grammar for a path, or undefined for files chunked as plain text. */
export function grammarForPath(filePath: string, text = ''): string | undefined {
  const ext = path.extname(filePath).toLowerCase();
  if (ext === '.h' && CPP_HINTS.test(text.slice(0, SNIFF_CHARS))) return 'cpp';
  return GRAMMAR_BY_EXTENSION[ext];
}

export function specForGrammar(grammar: string): LanguageSpec | undefined {
  return SPECS[grammar];
}

/** Kinds whose inner functions are methods. */
export const CLASS_LIKE_KINDS: ReadonlySet<string> = new Set([
  'class',
  'interface',
  'struct',
  'impl',
  'trait',
  'enum',
  'record',
  'object',
  'extension',
]);
