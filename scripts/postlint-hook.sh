#!/usr/bin/env bash
# A plain git pre-commit hook: checks the drafts being committed, as they are staged.
#   ln -s ../../scripts/postlint-hook.sh .git/hooks/pre-commit
#
# What it checks: the staged version of each added, copied, modified or renamed draft
# (.md .markdown .txt .json .jsonl .ndjson .csv) under the configured folders, never the working
# copy (a fix that is not staged is not what gets committed) and never files outside them (a
# README or package.json is not a post). The folders: `git config --add postlint.paths DIR`
# (repeatable), else posts/ and drafts/.
# Policy: postlint.yaml or .postlint.yaml at the top of the repository or a parent, else the
# shipped default (as `postlint check` finds it).
# Options: --allow-review  do not block commits whose posts only need review (exit 3).
# Files given as arguments are checked as they are on disk (for running the hook by hand).
# Exit: 0 allow the commit; non-zero block it (postlint's own codes: 1 fail, 2 error, 3 review).
set -uo pipefail
allow_review=false
files=()
for arg in "$@"; do
  case "$arg" in
    --allow-review) allow_review=true ;;
    *) files+=("$arg") ;;
  esac
done

finish() {
  local status=$1
  if [ "$status" -eq 3 ] && $allow_review; then
    echo "postlint: posts need review; commit allowed (--allow-review)" >&2
    exit 0
  fi
  exit "$status"
}

if [ ${#files[@]} -gt 0 ]; then
  postlint check "${files[@]}"
  finish $?
fi

root=$(git rev-parse --show-toplevel) || exit 2
cd "$root" || exit 2
mapfile -t dirs < <(git config --get-all postlint.paths)
[ ${#dirs[@]} -eq 0 ] && dirs=(posts drafts)
pathspecs=()
for dir in "${dirs[@]}"; do
  dir=${dir%/}
  for ext in md markdown txt json jsonl ndjson csv; do
    pathspecs+=(":(glob)$dir/**/*.$ext")
  done
done
while IFS= read -r -d '' f; do files+=("$f"); done < <(
  git diff --cached --name-only --diff-filter=ACMR -z -- "${pathspecs[@]}")
[ ${#files[@]} -eq 0 ] && exit 0

policy=""
dir=$root
while :; do
  for name in postlint.yaml .postlint.yaml; do
    if [ -f "$dir/$name" ]; then
      policy="$dir/$name"
      break 2
    fi
  done
  [ "$dir" = / ] && break
  dir=$(dirname "$dir")
done

# The staged contents, under their own paths, so reports name the files the writer knows.
staged=$(mktemp -d) || exit 2
trap 'rm -rf "$staged"' EXIT
for f in "${files[@]}"; do
  mkdir -p "$staged/$(dirname "$f")"
  git show ":$f" > "$staged/$f" || exit 2
done
cd "$staged" || exit 2
if [ -n "$policy" ]; then
  postlint check --policy "$policy" "${files[@]}"
else
  postlint check "${files[@]}"
fi
finish $?
