#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code: code-server (VS Code in the
# browser, from the npm registry) driven by Debian's headless Chromium through playwright-core.
#
# It builds the `playbook` binary (release) and the .vsix, installs code-server once into a
# cache under the cargo target dir (reused by later runs), installs the .vsix offline into a
# fresh profile, opens a temporary copy of playbooks/ as the workspace and runs test/e2e.js,
# which checks diagnostics, their fix and completion. Screenshots go to
# $TARGET/vscode-e2e/run/*.png.
#
# Environment: CARGO_TARGET_DIR (default target/), E2E_CS_VERSION (default 4.100.3, which needs
# Node 20), E2E_NO_APT=1 to never call apt-get, E2E_SETUP_ONLY=1 to stop after installing.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
EXT="$(cd "$HERE/.." && pwd)"
ROOT="$(cd "$EXT/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
CS_VERSION="${E2E_CS_VERSION:-4.100.3}"
CACHE="$TARGET/vscode-e2e/code-server-$CS_VERSION"
RUN="$TARGET/vscode-e2e/run"

T0=$(date +%s)
declare -a TIMINGS=()
step_start=$T0
step() {
  local now; now=$(date +%s)
  [ -n "${step_name:-}" ] && TIMINGS+=("$(printf '%5ss  %s' $((now - step_start)) "$step_name")")
  step_name="$*"; step_start=$now
  echo "== [$((now - T0))s] $*"
}

# ---- what the machine needs ------------------------------------------------------------
step "tools: node 20, chromium, ripgrep, headers for code-server's native modules"
node -v | grep -q '^v20\.' || { echo "code-server $CS_VERSION needs Node 20; this is $(node -v)"; exit 1; }
APT_PKGS=(build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep chromium)
missing=()
for p in "${APT_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${E2E_NO_APT:-0}" != 1 ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null; }
  else
    echo "missing Debian packages: ${missing[*]} (install them, or run as root with apt-get)"; exit 1
  fi
fi
CHROMIUM="$(command -v chromium)"

# ---- code-server, installed once into the cache -----------------------------------------
# npm's own install scripts would download ripgrep from GitHub and node headers from
# nodejs.org; both are replaced here: Debian's rg, and the headers of the system's Node.
export npm_config_nodedir=/usr npm_config_yes=true npm_config_audit=false \
  npm_config_fund=false npm_config_update_notifier=false
if [ ! -f "$CACHE/.installed" ]; then
  step "install code-server $CS_VERSION into $CACHE (once)"
  mkdir -p "$CACHE"   # a partial install is completed, not redone
  echo "(log: $CACHE/install.log)"
  (
    cd "$CACHE"
    export npm_config_cache="$CACHE/.npm-cache"
    printf '{ "name": "vscode-e2e-tools", "private": true }\n' > package.json
    npm install --ignore-scripts "code-server@$CS_VERSION" playwright-core@1
    VS="$CACHE/node_modules/code-server/lib/vscode"
    ( cd "$VS" && npm install --omit=dev --ignore-scripts )
    mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
    ln -sf "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"
    ( cd "$VS" && npm rebuild )           # node-pty, spdlog, watcher, kerberos, ...
    ( cd "$VS" && rm -rf node_modules.asar && ln -s node_modules node_modules.asar )
    ( cd "$VS/extensions" && npm install --omit=dev )
    npm rebuild argon2
    ( cd "$VS" && node -e 'for (const m of ["node-pty", "@vscode/spdlog", "@parcel/watcher"]) require(m)' )
  ) >"$CACHE/install.log" 2>&1 || { tail -n 40 "$CACHE/install.log"; echo "installing code-server failed"; exit 1; }
  touch "$CACHE/.installed"
fi
CS_ENTRY="$CACHE/node_modules/code-server/out/node/entry.js"
[ "${E2E_SETUP_ONLY:-0}" = 1 ] && { echo "setup done"; exit 0; }

# ---- the binary and the extension --------------------------------------------------------
step "cargo build --release --bin playbook"
( cd "$ROOT" && cargo build --quiet --release --bin playbook )
PLAYBOOK="$TARGET/release/playbook"

step "npm ci && npm run package (editors/vscode)"
mkdir -p "$TARGET/vscode-e2e"
( cd "$EXT" && npm ci --no-audit --no-fund && npm run package ) >"$TARGET/vscode-e2e/package.log" 2>&1 \
  || { tail -n 40 "$TARGET/vscode-e2e/package.log"; echo "building the .vsix failed"; exit 1; }
grep 'WARNING' "$TARGET/vscode-e2e/package.log" && { echo "vsce warned"; exit 1; }
VERSION="$(node -p 'require(process.argv[1]).version' "$EXT/package.json")"
VSIX="$EXT/playbook-$VERSION.vsix"
[ -f "$VSIX" ] || { echo "no $VSIX"; exit 1; }

# ---- a fresh profile and workspace -------------------------------------------------------
step "fresh profile, workspace (a copy of playbooks/), install the .vsix offline"
rm -rf "$RUN"; mkdir -p "$RUN/home" "$RUN/user/User" "$RUN/extensions"
cp -r "$ROOT/playbooks" "$RUN/playbooks"
# The playbook that e2e.js opens: one misspelled parameter (PB301 at 26:30).
cat > "$RUN/playbooks/e2e-mistake.yaml" <<'PLAYBOOK'
# Written by editors/vscode/test/e2e.sh: a playbook with one misspelled parameter.
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: e2e-mistake
  description: Probe a host over HTTP.

parameters:
  - name: TargetHost
    type: var
    description: The host to probe.
    default: example.com
  - name: TimeoutSeconds
    type: var
    description: Give up after this many seconds.
    default: "10"
  - name: runner
    type: spd
    description: A runner that can reach the host.

steps:
  - name: registry.example.com/playbook-steps/http/request
    id: probe
    runner: "{{ $.params.runner }}"
    args:
      - "https://{{ $.params.TargetHots }}/"
    env:
      TIMEOUT_SECONDS: "{{ $.params.TimeoutSeconds }}"
PLAYBOOK
# code-server writes to ~/.config, ~/.local/share and ~/.cache: keep them in the run folder.
export HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share" \
  XDG_CACHE_HOME="$RUN/home/.cache"
node -e '
const fs = require("fs");
fs.writeFileSync(process.argv[1], JSON.stringify({
  "telemetry.telemetryLevel": "off",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "editor.quickSuggestions": { "other": false, "comments": false, "strings": false },
  "playbook.path": process.argv[2],
  "playbook.trace.server": "messages",
}, null, 2));' "$RUN/user/User/settings.json" "$PLAYBOOK"
CS_ARGS=(--user-data-dir "$RUN/user" --extensions-dir "$RUN/extensions")
node "$CS_ENTRY" "${CS_ARGS[@]}" --install-extension "$VSIX" --force >"$RUN/install.log" 2>&1 \
  || { cat "$RUN/install.log"; exit 1; }
node "$CS_ENTRY" "${CS_ARGS[@]}" --list-extensions --show-versions | tee "$RUN/extensions.txt"
grep -q "playbook@$VERSION" "$RUN/extensions.txt" || { echo "the .vsix did not install"; exit 1; }

# ---- code-server and the browser ---------------------------------------------------------
step "start code-server on 127.0.0.1"
PORT="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"
setsid node "$CS_ENTRY" --config "$RUN/config.yaml" "${CS_ARGS[@]}" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  "$RUN/playbooks" >"$RUN/code-server.log" 2>&1 &
CS_PID=$!
stop_code_server() {
  kill -- -"$CS_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- -"$CS_PID" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 -- -"$CS_PID" 2>/dev/null || true
}
trap stop_code_server EXIT
for _ in $(seq 1 300); do
  node -e 'require("http").get(process.argv[1], r => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1))' \
    "http://127.0.0.1:$PORT/healthz" && break
  sleep 0.1
done

step "drive VS Code (test/e2e.js)"
status=0
NODE_PATH="$CACHE/node_modules" E2E_URL="http://127.0.0.1:$PORT/?folder=$RUN/playbooks" \
  E2E_WORKSPACE="$RUN/playbooks" E2E_SHOTS="$RUN" E2E_CHROMIUM="$CHROMIUM" \
  timeout 300 node "$HERE/e2e.js" || status=$?
step "stop code-server"
stop_code_server; trap - EXIT
step "done"
echo "timings:"; printf '%s\n' "${TIMINGS[@]}"
echo "total $(( $(date +%s) - T0 ))s; screenshots in $RUN"
if [ $status -ne 0 ]; then
  echo "FAILED; the server's log:"; find "$RUN/user/logs" -name '*Playbook*' -exec tail -n 40 {} + 2>/dev/null || true
  exit $status
fi
