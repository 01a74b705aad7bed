// The platforms a VSIX is built for, and the native files each one carries: usearch's prebuilt addon (the
// vector index) and onnxruntime-node's binaries (the ONNX embedder workers). Everything else in a package is
// the same JavaScript and wasm on every platform. `.vscodeignore` names linux-x64's natives; a target's own
// allowlist is that file with those lines swapped for the target's (ignoreFileFor).

export interface PackageTarget {
  /** vsce's --target. */
  target: string;
  /** The folder under node_modules/usearch/prebuilds/ (one universal build serves both macOS targets). */
  usearch: string;
  /** The folder under node_modules/onnxruntime-node/bin/napi-v3/. */
  onnx: string;
}

export const PACKAGE_TARGETS: readonly PackageTarget[] = [
  { target: 'linux-x64', usearch: 'linux-x64', onnx: 'linux/x64' },
  { target: 'linux-arm64', usearch: 'linux-arm64', onnx: 'linux/arm64' },
  { target: 'darwin-arm64', usearch: 'darwin-arm64+x64', onnx: 'darwin/arm64' },
  { target: 'darwin-x64', usearch: 'darwin-arm64+x64', onnx: 'darwin/x64' },
  { target: 'win32-x64', usearch: 'win32-x64', onnx: 'win32/x64' },
];

const USEARCH_LINE = '!node_modules/usearch/prebuilds/linux-x64/usearch.node';
const ONNX_LINE = '!node_modules/onnxruntime-node/bin/napi-v3/linux/x64/**';

/** The base allowlist with linux-x64's native lines replaced by the target's; throws if they moved. */
export function ignoreFileFor(base: string, t: PackageTarget): string {
  for (const line of [USEARCH_LINE, ONNX_LINE]) {
    if (!base.split('\n').includes(line))
      throw new Error(`.vscodeignore no longer has the line ${line}; update scripts/packageTargets.ts with it.`);
  }
  return base
    .split('\n')
    .map(l =>
      l === USEARCH_LINE
        ? `!node_modules/usearch/prebuilds/${t.usearch}/usearch.node`
        : l === ONNX_LINE
          ? `!node_modules/onnxruntime-node/bin/napi-v3/${t.onnx}/**`
          : l,
    )
    .join('\n');
}

/** The native files a package for `t` must hold (paths inside the VSIX). */
export function nativeFilesOf(t: PackageTarget): string[] {
  return [
    `extension/node_modules/usearch/prebuilds/${t.usearch}/usearch.node`,
    `extension/node_modules/onnxruntime-node/bin/napi-v3/${t.onnx}/onnxruntime_binding.node`,
  ];
}

/** The natives in a package's file list that are not `t`'s: what must never be there. */
export function foreignNatives(files: readonly string[], t: PackageTarget): string[] {
  return files.filter(
    f =>
      (/\/usearch\/prebuilds\//.test(f) && !f.includes(`/prebuilds/${t.usearch}/`)) ||
      (/\/onnxruntime-node\/bin\/napi-v3\//.test(f) && !f.includes(`/napi-v3/${t.onnx}/`)) ||
      (/\.(node|so(\.\d+)*|dylib|dll)$/.test(f) && !f.includes(`/prebuilds/${t.usearch}/`) && !f.includes(`/napi-v3/${t.onnx}/`)),
  );
}
