// What `search` and `files` print on stdout: one line per hit or path for a reader, or JSON for a script.

import type { FileReport, SearchHit } from '../engine';

/** A hit as --json prints it: `kind` is internal. */
export function jsonHits(hits: SearchHit[]): Omit<SearchHit, 'kind'>[] {
  return hits.map(({ kind: _k, ...h }) => h);
}

export function hitsText(hits: SearchHit[], json?: boolean): string {
  if (json) return `${JSON.stringify(jsonHits(hits))}\n`;
  return hits
    .map(h => {
      const sides = [
        h.why.lexical && `words${h.why.lexical.terms.length ? ` (${h.why.lexical.terms.join(', ')})` : ''}`,
        h.why.semantic && 'meaning',
      ]
        .filter(Boolean)
        .join(' + ');
      const copies = h.alsoIn?.length ? `  also in ${h.alsoIn.length} file(s)` : '';
      const snippet = h.snippet
        .split('\n')
        .slice(0, 3)
        .map(l => `        ${l}`)
        .join('\n');
      return `${h.score.toFixed(3)}  ${h.path}:${h.startLine}-${h.endLine}  ${h.symbol}  [${sides}]${copies}\n${snippet}\n`;
    })
    .join('');
}

export function filesText(files: FileReport[], json?: boolean): string {
  if (json) return `${JSON.stringify(files)}\n`;
  return files.map(f => `${f.status.padEnd(8)} ${f.path}${f.reason ? `  (${f.reason}${f.detail ? `: ${f.detail}` : ''})` : ''}\n`).join('');
}
