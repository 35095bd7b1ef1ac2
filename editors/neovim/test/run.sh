#!/usr/bin/env bash
# Headless end-to-end test of the Neovim setup: Neovim (0.7 or later, Debian's `neovim`
# package in CI) with editors/neovim/lua/playbook.lua starts a real `playbook lsp` on a copy of
# playbooks/ holding a known mistake, and driver.lua checks diagnostics, completion, hover,
# definition and formatting.
#
#   editors/neovim/test/run.sh [path/to/playbook]
#
# Without an argument it uses $PLAYBOOK_BIN, else builds the release binary with cargo.
# Neovim must be on the PATH (`apt-get install -y neovim`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

bin="${1:-${PLAYBOOK_BIN:-}}"
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --quiet --release --bin playbook)
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/playbook"
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
command -v nvim >/dev/null || { echo "nvim is not on the PATH (apt-get install -y neovim)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$repo/playbooks" "$work/playbooks"
file="$work/playbooks/redis-diagnostics.yaml"
# The mistake: the first read of RedisHost misspelt (PB301); and one line out of layout, for
# the formatting request.
sed -i '0,/RedisHost }}"/s//RedisHots }}"/; s/^    id: slowlog$/    id:    slowlog/' "$file"
grep -q 'RedisHots' "$file" && grep -q 'id:    slowlog' "$file" || { echo "the fixture changed: update run.sh" >&2; exit 2; }
# What formatting must give: the file as `playbook fmt` writes it.
"$bin" fmt --stdin-filename "$file" < "$file" > "$work/formatted.yaml"

start=$(date +%s%N)
status=0
PLAYBOOK_BIN="$bin" PLAYBOOK_NVIM_DIR="$repo/editors/neovim" TEST_FILE="$file" \
  TEST_LOG="$work/log" TEST_FORMATTED="$work/formatted.yaml" \
  timeout 120 nvim --headless --clean -c "luafile $here/driver.lua" </dev/null >/dev/null 2>&1 || status=$?
cat "$work/log" 2>/dev/null || echo "the driver wrote no log"
echo "neovim end-to-end: $(( ($(date +%s%N) - start) / 1000000 )) ms, exit code $status"
exit "$status"
