#!/usr/bin/env bash
# The git pre-commit hook (scripts/postlint-hook.sh) and the pre-commit hook definitions
# (.pre-commit-hooks.yaml) check what is committed, and only drafts.
#   git_hook_test.sh POSTLINT_BINARY SOURCE_ROOT
set -euo pipefail
binary=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
ln -s "$binary" "$work/bin/postlint"
export PATH="$work/bin:$PATH" HOME="$work" GIT_CONFIG_NOSYSTEM=1
export POSTLINT_DATA_DIR="$root/rules" POSTLINT_OFFLINE=1 POSTLINT_DB="$work/decisions.db"
hook="$root/scripts/postlint-hook.sh"
fail() { echo "FAIL: $*" >&2; exit 1; }

repo="$work/repo"
git init -q "$repo"
cd "$repo"
git config user.email t@example.com
git config user.name Tester
printf 'name: team\nextends: [default]\n' > postlint.yaml
mkdir -p drafts
printf -- '---\nnetwork: x\n---\nLaunch day!\n' > drafts/launch.md
git add postlint.yaml drafts/launch.md
"$hook" || fail "a clean staged draft must pass"
git commit -qm init --no-verify

# Staged "TODO", fixed only in the working copy: the staged text is what would be committed.
printf -- '---\nnetwork: x\n---\nLaunch day! TODO add link\n' > drafts/launch.md
git add drafts/launch.md
printf -- '---\nnetwork: x\n---\nLaunch day!\n' > drafts/launch.md
set +e
out=$("$hook" 2>&1)
status=$?
set -e
[ "$status" -eq 1 ] || fail "the staged TODO must block the commit (exit $status): $out"
echo "$out" | grep -q "drafts/launch.md" || fail "the report names the draft: $out"
echo "$out" | grep -q "TODO" || fail "the report shows the staged text: $out"

# The reverse: a bad working copy, a clean staged version passes.
git add drafts/launch.md
printf -- '---\nnetwork: x\n---\nTODO\n' > drafts/launch.md
"$hook" || fail "only the staged version counts"
git checkout -q -- drafts/launch.md

# Files outside the draft folders are not posts.
printf 'TODO: write the docs\n' > README.md
printf '{"text": "TODO", "name": "site"}\n' > package.json
git add README.md package.json
"$hook" || fail "README.md and package.json are not checked"

# Folders of the team's own choosing.
mkdir -p content/social
printf 'TODO\n' > content/social/post.txt
git add content/social/post.txt
"$hook" || fail "content/ is not a draft folder until configured"
git config --add postlint.paths content/social
set +e
"$hook" > /dev/null 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || fail "a configured folder is checked (exit $status)"

# The team's policy is the repository's: a rule only it has applies.
git reset -q
git config --unset-all postlint.paths
printf 'name: team\nextends: [default]\nrules:\n  - {id: no-falcon, kind: terms, level: error, banned: [Falcon]}\n' > postlint.yaml
printf 'Project Falcon ships soon\n' > drafts/falcon.txt
git add drafts/falcon.txt
set +e
out=$("$hook" 2>&1)
status=$?
set -e
[ "$status" -eq 1 ] || fail "the repository's policy applies (exit $status): $out"
echo "$out" | grep -q "no-falcon" || fail "no-falcon fired: $out"

# pre-commit: the `files` patterns pick drafts only.
/usr/bin/python3 - "$root/.pre-commit-hooks.yaml" <<'PY'
import re, sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
for hook in hooks:
    pattern = re.compile(hook["files"])
    for path in ["drafts/launch.md", "posts/2026/q1.jsonl", "drafts/x.csv"]:
        assert pattern.search(path), (hook["id"], path)
    for path in ["README.md", "package.json", "docs/guide.md", "src/drafts.txt"]:
        assert not pattern.search(path), (hook["id"], path)
PY
echo "git hook: staged content only, draft folders only"
