// One build script: bundles every runnable entry (extension, language server, CLI, embedder worker, graph thread,
// benchmark, test suites) into dist/.
// tsc only type-checks. Native addons and packages that locate files beside themselves stay external.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const external = ['hnswlib-node', 'usearch', 'onnxruntime-node', '@xenova/transformers', 'web-tree-sitter', 'vscode'];
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'linked', external, logLevel: 'warning' };

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures') out.push(...testFiles(p));
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

await Promise.all([
  build({
    ...common,
    entryPoints: Object.fromEntries(
      Object.entries({
        extension: 'client/src/extension.ts',
        server: 'server/src/server.ts',
        cli: 'server/src/cli/main.ts',
        settingsManifest: 'scripts/writeSettingsManifest.ts',
        packageAll: 'scripts/packageAll.ts',
        embedderWorker: 'server/src/engine/embedder/embedderWorker.ts',
        graphThread: 'server/src/engine/store/graphThread.ts',
        bench: 'bench/bench.ts',
        scaleBench: 'bench/scale/scaleBench.ts',
        workerMemory: 'bench/workerMemory.ts',
        serveLoad: 'bench/serveLoad.ts',
        qualityFetch: 'bench/quality/fetchCorpus.ts',
        quality: 'bench/quality/quality.ts',
        qualityAuto: 'bench/quality/autoSetMain.ts',
        trainFetch: 'train/fetchTraining.ts',
        trainExtract: 'train/extractPairs.ts',
        trainVocab: 'train/codeVocab.ts',
      }).filter(([, file]) => existsSync(file)),
    ),
    outdir: 'dist',
  }),
  // The lint-rule test runs eslint and prettier with the project's own configuration, loaded from node_modules.
  build({ ...common, external: [...external, 'eslint', 'prettier'], entryPoints: testFiles('test'), outdir: 'dist/test', outbase: 'test' }),
  // Tests in a real VS Code: the suite's run() entry (its *.test.ts come from the glob above, beside it in
  // dist/test/e2e/suite/), the code-server and @vscode/test-electron runners, the packaged-extension test.
  // mocha and @vscode/test-electron load from node_modules at run time.
  build({
    ...common,
    external: [...external, 'mocha', '@vscode/test-electron'],
    entryPoints: {
      'e2e/index': 'test/e2e/suite/index.ts',
      'e2e/runE2e': 'test/e2e/runE2e.ts',
      'e2e/runElectron': 'test/e2e/runElectron.ts',
      'package/packageTest': 'test/package/packageTest.ts',
      'package/targetSmoke': 'test/package/targetSmoke.ts',
    },
    outdir: 'dist/test',
  }),
]);
