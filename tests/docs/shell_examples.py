#!/usr/bin/env python3
"""Runs every postlint command shown in the shell examples of README.md and docs/*.md.

    shell_examples.py POSTLINT_BINARY SOURCE_ROOT

An example is a line of a ```sh, ```bash or ```shell block that calls `postlint` (or
`build/src/postlint`), with its `\\` continuation lines. Each runs as written, in page order, in
one temporary directory per page that holds what the README's own examples name: its policy
block as postlint.yaml, its draft block as draft.md and draft.txt, the shipped sample drafts as
posts.jsonl, the shipped exports as exports/. Paths into the source tree (rules/, fixtures/)
are the shipped files themselves. A command passes when it runs: no usage error, no unknown
option or command, no "nothing was checked", and the paths it names were read (not standard
input). Its verdict (0, 1, 3, 4) is the example's business. `serve` examples are started and
stopped once they listen; examples that need files postlint does not ship (/etc/...) are
reported as skipped, by name.
"""
import glob
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BLOCK = re.compile(r"```(?:sh|bash|shell)\n(.*?)```", re.S)
YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
MARKDOWN_BLOCK = re.compile(r"```markdown\n(.*?)```", re.S)


def examples(text):
    """The postlint command lines of a page's shell blocks, continuation lines joined."""
    out = []
    for block in BLOCK.findall(text):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            while line.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line.rstrip()[:-1] + " " + lines[i].strip()
            i += 1
            # Comments after the command are the page's notes, not shell.
            words = shlex.split(line, comments=True)
            if words and os.path.basename(words[0]) == "postlint":
                out.append(words)
    return out


def sandbox(root, tmp):
    readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    policy = next(b for b in YAML_BLOCK.findall(readme) if "rules:" in b)
    open(os.path.join(tmp, "postlint.yaml"), "w").write(policy)
    shutil.copy(os.path.join(tmp, "postlint.yaml"), os.path.join(tmp, "acme.yaml"))
    draft = MARKDOWN_BLOCK.findall(readme)[0]
    open(os.path.join(tmp, "draft.md"), "w").write(draft)
    open(os.path.join(tmp, "draft.txt"), "w").write(draft.split("---\n", 2)[-1])
    # The shipped sample posts, dated in the quarter the audit examples filter on.
    posts = []
    for i, line in enumerate(open(os.path.join(root, "fixtures/drafts/posts.jsonl"), encoding="utf-8")):
        record = json.loads(line)
        record["created_at"] = f"2026-08-{10 + i:02d}T09:00:00Z"
        posts.append(json.dumps(record, ensure_ascii=False))
    open(os.path.join(tmp, "posts.jsonl"), "w", encoding="utf-8").write("\n".join(posts) + "\n")
    os.makedirs(os.path.join(tmp, "exports"))
    shutil.copy(os.path.join(tmp, "posts.jsonl"), os.path.join(tmp, "exports/2026-q3.jsonl"))
    # The README's `policy test` example runs the cases beside the policy.
    open(os.path.join(tmp, "postlint.tests.yaml"), "w").write(
        "tests:\n  - name: a clean post passes\n    post: {text: 'Hello from Acme', network: x}\n"
        "    verdict: pass\n")


def run_serve(words, env, cwd):
    if "--port" not in words:
        words = words + ["--port", "0"]  # a free port: the example's 8080 may be taken here
    proc = subprocess.Popen(words, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 20
    err = ""
    while time.time() < deadline:
        line = proc.stderr.readline()
        err += line
        if '"event":"listening"' in line or proc.poll() is not None:
            break
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return 1, err + "\n(did not stop on SIGTERM)"
    return (0 if '"event":"listening"' in err and proc.returncode == 0 else 1), err


def main():
    binary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    pages = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs/*.md")))
    failures, ran, skipped = [], 0, []
    for page in pages:
        text = open(page, encoding="utf-8").read()
        commands = examples(text)
        if not commands:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            sandbox(root, tmp)
            os.symlink(os.path.join(root, "rules"), os.path.join(tmp, "rules"))
            os.symlink(os.path.join(root, "fixtures"), os.path.join(tmp, "fixtures"))
            env = {"PATH": os.path.dirname(binary) + ":/usr/bin:/bin", "HOME": tmp,
                   "LANG": "C.UTF-8", "POSTLINT_DATA_DIR": os.path.join(root, "rules"),
                   "POSTLINT_OFFLINE": "1", "POSTLINT_DB": os.path.join(tmp, "decisions.db"),
                   "POSTLINT_ACTOR": "docs"}
            for words in commands:
                shown = " ".join(shlex.quote(w) for w in words)
                words = [binary] + words[1:]
                missing = [w for w in words[1:] if w.startswith("/") and not os.path.exists(w)]
                if missing:
                    skipped.append(f"{os.path.relpath(page, root)}: {shown} (needs {missing[0]})")
                    continue
                ran += 1
                if words[1] == "serve":
                    code, err = run_serve(words, env, tmp)
                    if code != 0:
                        failures.append((page, shown, code, err))
                    continue
                run = subprocess.run(words, cwd=tmp, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, timeout=120)
                out = run.stdout + run.stderr
                bad = (run.returncode == 2 or "unknown option" in out or
                       "unknown command" in out or "nothing was checked" in out or
                       "The following argument" in out or
                       ("<stdin>" in out and "-" not in words[2:]))
                if bad:
                    failures.append((page, shown, run.returncode, out[-2000:]))
    for page, shown, code, out in failures:
        print(f"{os.path.relpath(page, root)}: `{shown}` exited {code}:\n{out}\n")
    for s in skipped:
        print(f"skipped {s}")
    print(f"{ran} examples run, {len(failures)} failed, {len(skipped)} skipped")
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
