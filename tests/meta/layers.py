#!/usr/bin/env python3
"""Fails when a folder of src/ includes a folder above it in docs/architecture.md's layer order.

    layers.py SOURCE_ROOT

The order is the numbered list under "## Layers" in docs/architecture.md: each folder may
include itself and the folders listed before it, never one after it. A folder found in src/
but missing from the list is an error too, so a new folder has to take its place in the doc.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/', re.M)
LAYER = re.compile(r"^\d+\.\s+`src/([a-z_]+)/`", re.M)


def main():
    root = sys.argv[1]
    doc = open(os.path.join(root, "docs/architecture.md"), encoding="utf-8").read()
    section = doc.split("## Layers", 1)[1].split("\n## ", 1)[0]
    order = LAYER.findall(section)
    rank = {folder: i for i, folder in enumerate(order)}
    src = os.path.join(root, "src")
    problems = []
    for folder in sorted(os.listdir(src)):
        if os.path.isdir(os.path.join(src, folder)) and folder not in rank:
            problems.append(f"src/{folder}/ is not in the layer list of docs/architecture.md")
    checked = 0
    for dirpath, _, files in os.walk(src):
        for name in files:
            if not name.endswith((".h", ".cpp", ".inc", ".def")):
                continue
            path = os.path.join(dirpath, name)
            folder = os.path.relpath(path, src).split(os.sep)[0]
            if folder not in rank:
                continue
            text = open(path, encoding="utf-8").read()
            for included in INCLUDE.findall(text):
                if included == "postlint":  # the public headers in include/, the API's own
                    continue
                checked += 1
                if included not in rank:
                    problems.append(f"{os.path.relpath(path, root)} includes {included}/, which is "
                                    "not a layer")
                elif rank[included] > rank[folder]:
                    problems.append(f"{os.path.relpath(path, root)} ({folder}/) includes "
                                    f"{included}/, a layer above it")
    for p in problems:
        print(p)
    print(f"{checked} includes across {len(order)} layers checked: {len(problems)} problem(s)")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
