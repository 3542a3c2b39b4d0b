#!/usr/bin/env python3
"""Replays the ```console blocks of a Markdown page and checks that the output shown is real.

    console_blocks.py POSTLINT_BINARY SOURCE_ROOT PAGE.md [--update]

Every block runs in one fresh temporary directory, in page order, with `postlint` on PATH and the
source tree's rules/ as the data directory. In a block, a line starting with "$ " is a command
(run by bash, stderr merged into stdout); the lines up to the next command are its expected
output. "$ export NAME=value" sets a variable for the commands that follow. Hidden setup lines,
<!-- doc-test: COMMAND -->, run before anything else with $ROOT set to the source tree.
With --update the page's outputs are rewritten from the real ones (review the diff).
"""
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile

BLOCK = re.compile(r"(```console\n)(.*?)(```)", re.S)
SETUP = re.compile(r"<!-- doc-test: (.*?) -->")


def run_block(body, env, cwd):
    """Returns the block with each command's expected output replaced by the real one."""
    out_lines = []
    for command in [l[2:] for l in body.splitlines() if l.startswith("$ ")]:
        out_lines.append("$ " + command)
        if command.startswith("export "):
            name, _, value = command[len("export "):].partition("=")
            env[name] = os.path.expandvars(" ".join(shlex.split(value)))
            continue
        run = subprocess.run(["bash", "-c", command], cwd=cwd, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out_lines.extend(run.stdout.rstrip("\n").splitlines() if run.stdout.strip() else [])
    return "\n".join(out_lines) + "\n"


def main():
    binary, root, page = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
    update = "--update" in sys.argv[4:]
    text = open(page, encoding="utf-8").read()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"PATH": os.path.dirname(os.path.abspath(binary)) + ":/usr/bin:/bin",
               "HOME": tmp, "LANG": "C.UTF-8", "POSTLINT_DATA_DIR": os.path.join(root, "rules"),
               "ROOT": root}
        for setup in SETUP.findall(text):
            subprocess.run(["bash", "-c", setup], cwd=tmp, env=env, check=True)
        failures = 0
        rebuilt = []
        last = 0
        for m in BLOCK.finditer(text):
            actual = run_block(m.group(2), env, tmp)
            if actual != m.group(2):
                failures += 1
                if not update:
                    sys.stdout.writelines(difflib.unified_diff(
                        m.group(2).splitlines(True), actual.splitlines(True),
                        f"{page} (as written)", "(as run)"))
            rebuilt.append(text[last:m.start(2)] + actual)
            last = m.end(2)
        rebuilt.append(text[last:])
    if update:
        open(page, "w", encoding="utf-8").write("".join(rebuilt))
        print(f"{page}: {failures} block(s) updated")
        return 0
    if failures:
        print(f"{page}: {failures} console block(s) differ from what postlint prints")
        return 1
    print(f"{page}: every console block replays exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
