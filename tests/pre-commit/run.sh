#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml with the real pre-commit: in a temporary git
# repository holding a copy of playbooks/ with a misspelt parameter and a line out of layout,
# `pre-commit try-repo <this repository>` runs both hooks (`language: rust`: pre-commit builds
# the root package with `cargo install --path .`). The check must refuse with the diagnostic
# and the formatter must rewrite the file; once the mistake is fixed, both must pass.
#
# pre-commit comes from $PRE_COMMIT, else the PATH, else a virtual environment under the
# target folder (installed with pip when missing). cargo runs offline with the target folder
# of this repository ($CARGO_TARGET_DIR or target/), so that the hooks' build reuses the
# compiled dependencies.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"

pre_commit="${PRE_COMMIT:-$(command -v pre-commit || true)}"
if [ -z "$pre_commit" ]; then
  venv="$target/pre-commit-venv"
  if [ ! -x "$venv/bin/pre-commit" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pre-commit
  fi
  pre_commit="$venv/bin/pre-commit"
fi
echo "$("$pre_commit" --version)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
export CARGO_TARGET_DIR="$target"
export CARGO_NET_OFFLINE=true
export CARGO_TERM_COLOR=never

cd "$work"
git init --quiet project
cd project
git config user.email ci@example.com
git config user.name ci
cp -r "$repo/playbooks" playbooks
file=playbooks/redis-diagnostics.yaml
sed -i '0,/RedisHost }}"/s//RedisHots }}"/; s/^    id: slowlog$/    id:    slowlog/' "$file"
grep -q 'RedisHots' "$file" && grep -q 'id:    slowlog' "$file" || { echo "the fixture changed: update run.sh" >&2; exit 2; }
git add -A

failures=0
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
ok() {
  echo "ok   $*"
}

# 1. The mistake: both hooks fail; the check shows the diagnostic; fmt rewrites the line.
start=$SECONDS
status=0
"$pre_commit" try-repo "$repo" --all-files --color never > "$work/bad.log" 2>&1 || status=$?
echo "try-repo with a mistake: $((SECONDS - start)) s (includes building the hooks)"
[ "$status" -ne 0 ] && ok "refused (exit code $status)" || fail "passed with a mistake"
grep -Eq '^playbook check\.+Failed' "$work/bad.log" && ok "playbook check failed" || fail "playbook check did not fail"
grep -Fq 'redis-diagnostics.yaml' "$work/bad.log" && grep -Fq 'PB301' "$work/bad.log" \
  && grep -Fq 'unknown parameter `RedisHots`' "$work/bad.log" \
  && ok "the output shows PB301 unknown parameter \`RedisHots\` in redis-diagnostics.yaml" \
  || fail "the diagnostic is not in the output"
grep -Eq '^playbook fmt\.+Failed' "$work/bad.log" && grep -Fq 'files were modified by this hook' "$work/bad.log" \
  && ok "playbook fmt failed, having modified the file" || fail "playbook fmt did not report a change"
grep -q '^    id: slowlog$' "$file" && ok "the hook formatted the file" || fail "the file was not formatted"
[ "$failures" -eq 0 ] || cat "$work/bad.log"

# 2. Fixed: both hooks pass.
sed -i 's/RedisHots }}"/RedisHost }}"/' "$file"
git add -A
start=$SECONDS
status=0
"$pre_commit" try-repo "$repo" --all-files --color never > "$work/good.log" 2>&1 || status=$?
echo "try-repo, fixed: $((SECONDS - start)) s"
[ "$status" -eq 0 ] && ok "passes once fixed" || { fail "refused once fixed (exit code $status)"; cat "$work/good.log"; }
grep -Eq '^playbook check\.+Passed' "$work/good.log" && grep -Eq '^playbook fmt\.+Passed' "$work/good.log" \
  && ok "both hooks passed" || fail "a hook did not pass"

[ "$failures" -eq 0 ] && echo "pre-commit end-to-end: all checks passed" || echo "pre-commit end-to-end: $failures failed"
[ "$failures" -eq 0 ]
