#!/usr/bin/env bash
# Test of the GitHub Action's script (editors/github-action/run.sh) outside GitHub: on a copy of
# playbooks/ holding a misspelt parameter it must install playbook from this checkout (cargo
# install --locked --path, reusing this repository's target folder), print the `::error`
# annotation of the mistake, write SARIF naming it and exit 1; once fixed, with the installed
# binary (`version: installed`), it must print no annotation and exit 0.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
export CARGO_NET_OFFLINE=true
export CARGO_TERM_COLOR=never

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/repository"
cp -r "$repo/playbooks" "$work/repository/playbooks"
file="$work/repository/playbooks/redis-diagnostics.yaml"
sed -i '0,/RedisHost }}"/s//RedisHots }}"/' "$file"
line="$(grep -n 'RedisHots' "$file" | head -n 1 | cut -d: -f1)"
[ -n "$line" ] || { echo "the fixture changed: update run.sh" >&2; exit 2; }

failures=0
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
ok() {
  echo "ok   $*"
}

# 1. Built from this checkout, on the mistake.
cd "$work/repository"
start=$SECONDS
GITHUB_OUTPUT="$work/output" PLAYBOOK_INSTALL_ROOT="$work/root" INPUT_VERSION="" \
  INPUT_PATHS="playbooks/" INPUT_SARIF_FILE="$work/out.sarif" INPUT_ARGS="" \
  "$repo/editors/github-action/run.sh" > "$work/bad.log" 2> "$work/bad.err"
status=$?
echo "action with a mistake: $((SECONDS - start)) s (includes cargo install)"
[ "$status" -eq 1 ] && ok "exit code 1" || fail "exit code $status, expected 1"
[ -x "$work/root/bin/playbook" ] && ok "installed playbook from the checkout" || fail "no installed playbook"
want="::error file=playbooks/redis-diagnostics.yaml,line=$line,col=26,"
grep -F "$want" "$work/bad.log" | grep -Fq 'title=PB301 undefined-parameter::unknown parameter `RedisHots`' \
  && ok "annotation: $want...title=PB301 ... unknown parameter \`RedisHots\`" || fail "no annotation $want"
[ "$(grep -c '^::error file=' "$work/bad.log")" -eq 1 ] && ok "exactly one annotation" || fail "not exactly one annotation"
grep -Fxq 'exit-code=1' "$work/output" && ok "GITHUB_OUTPUT has exit-code=1" || fail "GITHUB_OUTPUT lacks exit-code=1"
python3 - "$work/out.sarif" <<'PY' && ok "SARIF holds one PB301 result in playbooks/redis-diagnostics.yaml" || fail "the SARIF is not as expected"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
results = run["results"]
assert len(results) == 1, results
assert results[0]["ruleId"] == "PB301"
assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "playbooks/redis-diagnostics.yaml"
PY
[ "$failures" -eq 0 ] || { cat "$work/bad.log" "$work/bad.err"; }

# 2. Fixed, with the installed binary.
sed -i 's/RedisHots }}"/RedisHost }}"/' "$file"
PATH="$work/root/bin:$PATH" INPUT_VERSION=installed INPUT_PATHS="playbooks/" INPUT_SARIF_FILE="" INPUT_ARGS="--deny-warnings" \
  "$repo/editors/github-action/run.sh" > "$work/good.log" 2>&1
status=$?
[ "$status" -eq 0 ] && ok "fixed: exit code 0 (version: installed, --deny-warnings)" || { fail "fixed: exit code $status"; cat "$work/good.log"; }
grep -q '^::' "$work/good.log" && fail "fixed: annotations printed" || ok "fixed: no annotation"

[ "$failures" -eq 0 ] && echo "GitHub Action script: all checks passed" || echo "GitHub Action script: $failures failed"
[ "$failures" -eq 0 ]
