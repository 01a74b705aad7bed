// npm run bench:quality: the retrieval-quality benchmark. Each project of bench/quality/projects/ (and each
// package of the automated set, autoSet.ts) is indexed as its own folder through the engine, then every query
// runs through the one search path under each variant below; file-level NDCG@10, MRR@10 and Recall@10 per
// variant, category and language, index time and query p50 beside them, and the "three lines from the middle
// of a file" test. Results: a table on stdout, .bench/quality/results.json, and the README's quality section.
// QUALITY_ONLY=name,name limits the projects (a quick check, not for figures); QUALITY_AUTO=0 skips the
// automated set.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, EngineSettings } from '../../common/settings';
import { Engine } from '../../server/src/engine/engine';
import type { FolderIndex } from '../../server/src/engine/folderIndex';
import type { SearchOptions } from '../../server/src/engine/search/query';
import { codeTerms, DEFAULT_TERM_OPTIONS } from '../../server/src/engine/lexical/codeTerms';
import { ALL_RULES, NO_RULES, RankingRules } from '../../server/src/engine/search/ranking';
import type { SearchHit } from '../../server/src/engine/types';
import { median } from '../stats';
import { buildAutoSet } from './autoSet';
import { meanScores, scoreQuery, Scores } from './metrics';
import { loadProjects } from './projectData';
import { prepareProject } from './qualityCorpus';
import { middleLines } from './middleLines';
import { readStore } from '../../server/src/engine/store/storeFolder';

const ROOT = path.resolve(__dirname, '..');
const BENCH = path.join(ROOT, '.bench');
const OUT = path.join(BENCH, 'quality');
// The default model (the embedded one) unless the environment names another: the stand-in cannot rank by meaning.
const MODELS = process.env.SEMSEARCH_MODEL_DIR || '';
const MODEL_ID = process.env.SEMSEARCH_MODEL || DEFAULT_SETTINGS.modelId;
const ONLY = process.env.QUALITY_ONLY ? new Set(process.env.QUALITY_ONLY.split(',')) : undefined;
const WITH_AUTO = process.env.QUALITY_AUTO !== '0';
const MIDDLE_LINES_PER_PROJECT = 25;
/** The stemming choice the default is measured against. */
const OTHER_TERMS = DEFAULT_TERM_OPTIONS.stem ? 'unstemmed' : 'stemmed';

interface Variant {
  name: string;
  what: string;
  /** Searched over the lexical index built with the other stemming choice than the default. */
  otherTerms?: boolean;
  options: Omit<SearchOptions, 'k'>;
}

const off = (rule: keyof RankingRules): Partial<RankingRules> => ({ ...ALL_RULES, [rule]: false });

const VARIANTS: Variant[] = [
  {
    name: 'bm25-plain',
    what: 'BM25 over code terms only: no name or path terms, no ranking',
    options: { mode: 'lexical', rules: NO_RULES, lexicalFields: ['body'] },
  },
  { name: 'bm25', what: 'BM25 with name and path terms, no ranking', options: { mode: 'lexical', rules: NO_RULES } },
  { name: 'lexical', what: 'BM25 with name and path terms + ranking (lexical mode)', options: { mode: 'lexical' } },
  { name: `lexical-${OTHER_TERMS}`, what: `the same over a ${OTHER_TERMS} index`, otherTerms: true, options: { mode: 'lexical' } },
  ...(Object.keys(ALL_RULES) as (keyof RankingRules)[]).map(rule => ({
    name: `lexical -${rule}`,
    what: `lexical mode without the ${rule} rule`,
    options: { mode: 'lexical' as const, rules: off(rule) },
  })),
  { name: 'semantic', what: 'vectors only, no ranking', options: { mode: 'semantic', rules: NO_RULES } },
  { name: 'semantic+rank', what: 'vectors + ranking (semantic mode)', options: { mode: 'semantic' } },
  { name: 'hybrid-norank', what: 'weighted fusion, no ranking', options: { mode: 'hybrid', rules: NO_RULES } },
  { name: 'hybrid-rrf', what: 'RRF (k=60) fusion + ranking', options: { mode: 'hybrid', fusion: 'rrf' } },
  { name: 'hybrid', what: 'weighted fusion + ranking (the default)', options: { mode: 'hybrid' } },
  { name: `hybrid-${OTHER_TERMS}`, what: `the default over a ${OTHER_TERMS} index`, otherTerms: true, options: { mode: 'hybrid' } },
];

interface Judged {
  id: string;
  project: string;
  language: string;
  category: string;
  query: string;
  relevant: string[];
  /** Automated set: whether the query shares fewer of its words with its function than the set's median. */
  overlap?: 'low' | 'high';
}

interface IndexedProject {
  name: string;
  set: 'hand-written' | 'automated';
  language: string;
  /** Its index with the default term options, and with the other stemming choice. */
  folders: { main: FolderIndex; other: FolderIndex };
  chunks: number;
  indexSeconds: number;
}

type Row = { variant: string; set: string; group: string; queries: number } & Scores & { p50ms: number };

async function main(): Promise<void> {
  const settings: EngineSettings = { ...DEFAULT_SETTINGS, modelsDir: MODELS, modelId: MODEL_ID, cacheMB: 512 };
  const engine = await Engine.open({ settings });
  try {
    const projects = loadProjects().filter(p => !ONLY || ONLY.has(p.name));
    const hand: Judged[] = projects.flatMap(p => p.queries.map(q => ({ ...q, project: p.name, language: p.language })));
    const indexed = new Map<string, IndexedProject>();
    for (const p of projects) indexed.set(p.name, await indexProject(engine, 'hand-written', p.name, p.language, prepareProject(BENCH, p)));

    let auto: Judged[] = [];
    if (WITH_AUTO) {
      const set = await buildAutoSet(BENCH);
      for (const p of set.projects)
        if (!ONLY || ONLY.has(p.name)) indexed.set(`auto:${p.name}`, await indexProject(engine, 'automated', p.name, p.language, p.dir));
      const kept = set.queries.filter(q => indexed.has(`auto:${q.project}`));
      const halves = overlapHalves(
        kept.map(q => ({ query: q.query, dir: set.projects.find(p => p.name === q.project)!.dir, file: q.relevant[0], lines: q.lines })),
      );
      auto = kept.map((q, i) => ({
        id: q.id,
        project: `auto:${q.project}`,
        language: set.projects.find(p => p.name === q.project)!.language,
        category: 'docstring',
        query: q.query,
        relevant: q.relevant,
        overlap: halves[i],
      }));
    }

    const rows: Row[] = [];
    for (const v of VARIANTS) {
      rows.push(...(await runSet(engine, v, 'hand-written', hand, indexed)));
      if (auto.length) rows.push(...(await runSet(engine, v, 'automated', auto, indexed)));
    }
    const middle = await middleLinesTest(
      engine,
      projects.map(p => indexed.get(p.name)!),
    );
    const index = [...indexed.values()].map(p => ({
      name: p.name,
      set: p.set,
      language: p.language,
      chunks: p.chunks,
      indexSeconds: p.indexSeconds,
    }));
    const lexicalBytes = lexicalShare([...indexed.values()].map(p => p.folders.main.storeDir));
    const results = {
      model: MODEL_ID,
      queries: { hand: hand.length, auto: auto.length },
      projects: index,
      rows,
      middle,
      lexicalBytes,
      finishedAt: new Date().toISOString(),
    };
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 2));
    const table = renderTables(results);
    process.stdout.write(`${table}\n`);
    if (!ONLY) writeReadme(table);
  } finally {
    await engine.dispose();
  }
}

async function indexProject(
  engine: Engine,
  set: IndexedProject['set'],
  name: string,
  language: string,
  dir: string,
): Promise<IndexedProject> {
  const stores = path.join(OUT, 'stores');
  const index = async (other: boolean) => {
    const storeDir = path.join(stores, `${name.replace(/[^\w.-]/g, '_')}${other ? `.${OTHER_TERMS}` : ''}`);
    fs.rmSync(storeDir, { recursive: true, force: true });
    const folder = engine.folder(dir, storeDir, false, { stem: other !== DEFAULT_TERM_OPTIONS.stem });
    const summary = await folder.index();
    return { folder, summary };
  };
  const a = await index(false);
  // The second index's vectors come from the engine's cache, filled by the first run: no embedding twice.
  const b = await index(true);
  process.stderr.write(`quality: ${name}: ${a.summary.files.indexed} files, ${a.summary.chunks} chunks in ${a.summary.seconds}s\n`);
  return { name, set, language, folders: { main: a.folder, other: b.folder }, chunks: a.summary.chunks, indexSeconds: a.summary.seconds };
}

async function runSet(engine: Engine, v: Variant, set: string, queries: Judged[], indexed: Map<string, IndexedProject>): Promise<Row[]> {
  const scored: { q: Judged; s: Scores; ms: number }[] = [];
  for (const q of queries) {
    const project = indexed.get(q.project)!;
    const folder = v.otherTerms ? project.folders.other : project.folders.main;
    const t0 = performance.now();
    const hits = await folder.search(engine.query(q.query, { k: 10, ...v.options }));
    const ms = performance.now() - t0;
    scored.push({ q, s: scoreQuery({ covers: hits.map(covers) }, q.relevant), ms });
  }
  const row = (group: string, of: typeof scored): Row => ({
    variant: v.name,
    set,
    group,
    queries: of.length,
    ...meanScores(of.map(x => x.s)),
    p50ms: Math.round(median(of.map(x => x.ms)) * 10) / 10,
  });
  const groups = (key: (q: Judged) => string) =>
    [...new Set(scored.map(x => key(x.q)))].sort().map(g =>
      row(
        g,
        scored.filter(x => key(x.q) === g),
      ),
    );
  const byOverlap = scored.some(x => x.q.overlap) ? groups(q => `overlap:${q.overlap}`) : [];
  return [row('all', scored), ...groups(q => `category:${q.category}`), ...groups(q => `language:${q.language}`), ...byOverlap];
}

/**
 * Splits queries at the median share of their distinct words (code terms) found in their function's lines:
 * the low half is where words alone cannot find the answer and meaning has to.
 */
function overlapHalves(qs: { query: string; dir: string; file: string; lines: [number, number] }[]): ('low' | 'high')[] {
  const share = qs.map(q => {
    const words = new Set(codeTerms(q.query));
    const code = new Set(
      codeTerms(
        fs
          .readFileSync(path.join(q.dir, q.file), 'utf8')
          .split('\n')
          .slice(q.lines[0] - 1, q.lines[1])
          .join('\n'),
      ),
    );
    return words.size ? [...words].filter(w => code.has(w)).length / words.size : 0;
  });
  const order = share.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: ('low' | 'high')[] = new Array(qs.length);
  order.forEach(([, i], rank) => {
    out[i] = rank < qs.length / 2 ? 'low' : 'high';
  });
  return out;
}

function covers(hit: SearchHit): string[] {
  return [hit.path, ...(hit.alsoIn ?? [])];
}

/** Three lines from the middle of a file, searched in each mode: how often is that file the first result? */
async function middleLinesTest(engine: Engine, projects: IndexedProject[]) {
  const out: Record<string, { tries: number; rank1: number; top5: number }> = {};
  const runs = [
    ...(['hybrid', 'lexical', 'semantic'] as const).map(mode => ({ name: mode, mode, other: false })),
    ...(['hybrid', 'lexical'] as const).map(mode => ({ name: `${mode}-${OTHER_TERMS}`, mode, other: true })),
  ];
  for (const { name, mode, other } of runs) {
    let tries = 0,
      rank1 = 0,
      top5 = 0;
    for (const p of projects) {
      const folder = other ? p.folders.other : p.folders.main;
      for (const { file, query } of middleLines(folder.root, folder.files(), MIDDLE_LINES_PER_PROJECT)) {
        const hits = await folder.search(engine.query(query, { k: 5, mode }));
        tries++;
        if (hits[0] && covers(hits[0]).includes(file)) rank1++;
        if (hits.some(h => covers(h).includes(file))) top5++;
      }
    }
    out[name] = { tries, rank1: rank1 / tries, top5: top5 / tries };
  }
  return out;
}

/** The lexical index's bytes against the rest of the store, over every project's store. */
function lexicalShare(storeDirs: string[]): {
  lexicalBytes: number;
  otherBytes: number;
  chunks: number;
  addsPercent: number;
  bytesPerChunk: number;
} {
  let lexical = 0,
    other = 0,
    chunks = 0;
  for (const dir of storeDirs) {
    for (const f of fs.readdirSync(dir)) {
      const size = fs.statSync(path.join(dir, f)).size;
      if (f.endsWith('.lex')) lexical += size;
      else other += size;
    }
    const store = readStore(dir);
    chunks += store.count;
    store.close();
  }
  return {
    lexicalBytes: lexical,
    otherBytes: other,
    chunks,
    addsPercent: Math.round((lexical / other) * 1000) / 10,
    bytesPerChunk: Math.round(lexical / chunks),
  };
}

type Results = {
  model: string;
  queries: { hand: number; auto: number };
  projects: { name: string; set: string; language: string; chunks: number; indexSeconds: number }[];
  rows: Row[];
  middle: Record<string, { tries: number; rank1: number; top5: number }>;
  lexicalBytes: ReturnType<typeof lexicalShare>;
};

function renderTables(r: Results): string {
  const f = (x: number) => x.toFixed(3);
  const lines: string[] = [];
  const chunks = r.projects.reduce((s, p) => s + p.chunks, 0);
  const seconds = r.projects.reduce((s, p) => s + p.indexSeconds, 0);
  const count = (set: string) => r.projects.filter(p => p.set === set).length;
  lines.push(
    `Model: ${r.model}. Hand-written queries: ${r.queries.hand} over ${count('hand-written')} projects; automated: ${r.queries.auto} over ${count('automated')} packages. Indexed ${chunks} chunks in ${seconds.toFixed(1)} s (cold, each project once; the ${OTHER_TERMS} index is built again from the cache).`,
    '',
  );
  lines.push('| variant | set | NDCG@10 | MRR@10 | Recall@10 | p50 ms |', '|---|---|---|---|---|---|');
  for (const row of r.rows.filter(x => x.group === 'all'))
    lines.push(`| ${row.variant} | ${row.set} (${row.queries}) | ${f(row.ndcg)} | ${f(row.mrr)} | ${f(row.recall)} | ${row.p50ms} |`);
  lines.push('', 'Hand-written queries by category and language (NDCG@10):', '');
  const groups = [...new Set(r.rows.filter(x => x.set === 'hand-written' && x.group !== 'all').map(x => x.group))];
  const shown = ['bm25-plain', 'bm25', 'lexical', `lexical-${OTHER_TERMS}`, 'semantic', 'hybrid-norank', 'hybrid'];
  lines.push(`| group | ${shown.join(' | ')} |`, `|---|${shown.map(() => '---').join('|')}|`);
  for (const g of groups) {
    const cells = shown.map(v => r.rows.find(x => x.variant === v && x.set === 'hand-written' && x.group === g));
    lines.push(`| ${g.replace(/^\w+:/, '')} (${cells[0]?.queries ?? 0}) | ${cells.map(c => (c ? f(c.ndcg) : '-')).join(' | ')} |`);
  }
  const low = shown.map(v => r.rows.find(x => x.variant === v && x.set === 'automated' && x.group === 'overlap:low'));
  if (low[0]) {
    lines.push(
      '',
      `Automated (docstring) set, the half of queries sharing the fewest words with their function (MRR@10, ${low[0].queries} queries):`,
      '',
    );
    lines.push(
      `| ${shown.join(' | ')} |`,
      `|${shown.map(() => '---').join('|')}|`,
      `| ${low.map(c => (c ? f(c.mrr) : '-')).join(' | ')} |`,
    );
  }
  lines.push('', 'Three lines from the middle of a file as the query (the file at rank 1 / in the top 5):', '');
  lines.push('| mode | tries | rank 1 | top 5 |', '|---|---|---|---|');
  for (const [mode, m] of Object.entries(r.middle))
    lines.push(`| ${mode} | ${m.tries} | ${(m.rank1 * 100).toFixed(1)}% | ${(m.top5 * 100).toFixed(1)}% |`);
  const lb = r.lexicalBytes;
  lines.push(
    '',
    `Lexical index on disk: ${lb.bytesPerChunk} bytes per chunk, +${lb.addsPercent}% over the rest of the store (${lb.chunks} chunks).`,
  );
  return lines.join('\n');
}

function writeReadme(table: string): void {
  const readme = path.join(ROOT, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const start = '<!-- quality:start -->',
    end = '<!-- quality:end -->';
  const a = text.indexOf(start),
    b = text.indexOf(end);
  if (a < 0 || b < a) {
    process.stderr.write('quality: README.md has no quality markers; the table is only printed.\n');
    return;
  }
  fs.writeFileSync(readme, `${text.slice(0, a + start.length)}\n${table}\n${text.slice(b)}`);
}

main().catch(e => {
  process.stderr.write(`bench:quality: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
