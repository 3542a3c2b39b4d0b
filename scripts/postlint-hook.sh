#!/usr/bin/env bash
# A plain git pre-commit hook: checks the staged draft files with postlint.
#   ln -s ../../scripts/postlint-hook.sh .git/hooks/pre-commit
# Options: --allow-review  do not block commits whose posts only need review (exit 3).
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
if [ ${#files[@]} -eq 0 ]; then
  # Called by git: the staged drafts (added, copied, modified, renamed).
  while IFS= read -r -d '' f; do files+=("$f"); done < <(
    git diff --cached --name-only --diff-filter=ACMR -z -- \
      '*.md' '*.markdown' '*.txt' '*.json' '*.jsonl' '*.ndjson')
fi
[ ${#files[@]} -eq 0 ] && exit 0
postlint check "${files[@]}"
status=$?
if [ "$status" -eq 3 ] && $allow_review; then
  echo "postlint: posts need review; commit allowed (--allow-review)" >&2
  exit 0
fi
exit "$status"
