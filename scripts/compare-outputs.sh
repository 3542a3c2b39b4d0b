#!/usr/bin/env bash
# Compares what two postlint binaries print for the same inputs: every report format of `check`
# and `audit` over the shipped fixtures and a generated corpus. For refactors that must not
# change output (issue 13): any difference is printed and the exit status is 1.
#   scripts/compare-outputs.sh OLD_BINARY NEW_BINARY [CORPUS.jsonl]
# Both run offline, with POSTLINT_NOW fixed and the same data directory (this tree's rules/).
set -uo pipefail
old=$1
new=$2
corpus=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export POSTLINT_DATA_DIR="$root/rules" POSTLINT_OFFLINE=1 POSTLINT_NOW=2026-11-24T09:00:00Z
export POSTLINT_CACHE_DIR="$work/cache" NO_COLOR=1
inputs=(fixtures/drafts fixtures/exports fixtures/io fixtures/audit)
[ -n "$corpus" ] && inputs+=("$corpus")
status=0
run() {  # run NAME ARGS...: both binaries, same arguments, outputs compared
  local name=$1
  shift
  (cd "$root" && POSTLINT_DB="$work/old.db" "$old" "$@" > "$work/old.out" 2> "$work/old.err"; echo "exit $?" >> "$work/old.out")
  (cd "$root" && POSTLINT_DB="$work/new.db" "$new" "$@" > "$work/new.out" 2> "$work/new.err"; echo "exit $?" >> "$work/new.out")
  if ! cmp -s "$work/old.out" "$work/new.out" || ! cmp -s "$work/old.err" "$work/new.err"; then
    echo "DIFFERS: $name ($*)"
    diff <(cat "$work/old.out" "$work/old.err") <(cat "$work/new.out" "$work/new.err") | head -20
    status=1
  fi
}
for input in "${inputs[@]}"; do
  for format in text json jsonl; do
    run "check $format $input" check --format "$format" --jobs 2 "$input"
  done
  for format in summary summary-json sarif junit csv html; do
    run "audit $format $input" audit --format "$format" --jobs 2 --progress never "$input"
  done
done
run "inspect drafts" inspect fixtures/drafts
[ "$status" -eq 0 ] && echo "identical: ${#inputs[@]} inputs, check x3 and audit x6 formats, inspect"
exit $status
