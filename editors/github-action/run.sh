#!/usr/bin/env bash
# The logic of the GitHub Action (action.yml at the repository root): install `playbook`, run
# `playbook check --format github` in the current folder, optionally write SARIF, and exit with
# the check's exit code.
#
# Inputs, from the environment (action.yml maps its inputs onto them):
#   INPUT_VERSION     empty: build from this checkout (cargo install --locked --path
#                     crates/playbook-cli); `installed`: `playbook` from the PATH; anything
#                     else: a git tag of $PLAYBOOK_REPOSITORY, built with cargo install --git
#   INPUT_PATHS       paths to check, separated by spaces (empty: the current folder)
#   INPUT_SARIF_FILE  where to write SARIF (empty: none)
#   INPUT_ARGS        extra arguments of `playbook check`, separated by spaces
#   PLAYBOOK_INSTALL_ROOT  where cargo installs (default $RUNNER_TEMP/playbook, else a
#                     temporary folder)
# Writes `exit-code=<n>` to $GITHUB_OUTPUT when that is set.
set -uo pipefail
action_root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${INPUT_VERSION:-}"
read -r -a paths <<< "${INPUT_PATHS:-}"
read -r -a args <<< "${INPUT_ARGS:-}"
sarif="${INPUT_SARIF_FILE:-}"

if [ "$version" = installed ]; then
  bin="$(command -v playbook)" || { echo "::error title=playbook::\`playbook\` is not on the PATH (version: installed)"; exit 2; }
else
  root="${PLAYBOOK_INSTALL_ROOT:-${RUNNER_TEMP:-$(mktemp -d)}/playbook}"
  echo "::group::install playbook"
  if [ -z "$version" ]; then
    cargo install --locked --root "$root" --path "$action_root/crates/playbook-cli"
  else
    cargo install --locked --root "$root" --git "${PLAYBOOK_REPOSITORY:?}" --tag "$version" playbook-cli
  fi
  status=$?
  echo "::endgroup::"
  [ "$status" -eq 0 ] || { echo "::error title=playbook::installing playbook failed (cargo install, exit code $status)"; exit 2; }
  bin="$root/bin/playbook"
fi
"$bin" --version

"$bin" check --format github "${args[@]}" "${paths[@]}"
code=$?

if [ -n "$sarif" ]; then
  # The same check again, as SARIF; its exit code is the one above.
  "$bin" check --format sarif "${args[@]}" "${paths[@]}" > "$sarif" 2>/dev/null
  sarif_code=$?
  if [ "$sarif_code" -gt 1 ]; then
    echo "::error title=playbook::writing SARIF to $sarif failed (exit code $sarif_code)"
    [ "$code" -gt 1 ] || code=$sarif_code
  fi
fi

[ -z "${GITHUB_OUTPUT:-}" ] || echo "exit-code=$code" >> "$GITHUB_OUTPUT"
exit "$code"
