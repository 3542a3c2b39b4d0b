#!/usr/bin/env python3
"""Validates postlint's SARIF output against the vendored SARIF 2.1.0 JSON schema.

    validate_sarif.py POSTLINT_BINARY SOURCE_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema


def main():
    binary, root = sys.argv[1], sys.argv[2]
    schema = json.load(open(os.path.join(root, "fixtures/sarif/sarif-2.1.0-rtm.5.json")))
    validator = jsonschema.Draft4Validator(schema)
    cases = [
        ("fixtures/audit/policy.yaml", "fixtures/audit/posts.jsonl"),  # incl. an unreadable line
        ("rules/default.yaml", "fixtures/drafts"),                     # verbatim drafts
    ]
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for policy, posts in cases:
            out = os.path.join(tmp, "out.sarif")
            subprocess.run([binary, "audit", "--format", "sarif", "-o", out, "--policy",
                            os.path.join(root, policy), os.path.join(root, posts)],
                           env=dict(os.environ, POSTLINT_DATA_DIR=os.path.join(root, "rules")))
            log = json.load(open(out))
            errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
            for e in errors[:20]:
                print(f"{posts}: {'/'.join(map(str, e.path))}: {e.message}")
            if errors:
                return 1
            results = log["runs"][0]["results"]
            assert results, f"{posts}: no results"
            total += len(results)
        # Waived findings: SARIF `suppressions` (check reads the waiver from the decision log).
        env = dict(os.environ, POSTLINT_DATA_DIR=os.path.join(root, "rules"),
                   POSTLINT_DB=os.path.join(tmp, "decisions.db"))
        policy = os.path.join(root, "fixtures/gate/acme.yaml")
        draft = os.path.join(tmp, "draft.md")
        with open(draft, "w") as f:
            f.write("Our web site launches TBD\n")
        subprocess.run([binary, "waive", "unfinished", draft, "--role", "compliance", "--as",
                        "carol", "--reason", "date is secret", "--for", "1d", "--policy", policy],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        run = subprocess.run([binary, "check", "--format", "sarif", "--policy", policy, draft],
                             env=env, capture_output=True, text=True)
        log = json.loads(run.stdout)
        errors = list(validator.iter_errors(log))
        for e in errors[:20]:
            print(f"waived: {'/'.join(map(str, e.path))}: {e.message}")
        if errors:
            return 1
        suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
        assert len(suppressed) == 1, f"expected one suppressed result, got {len(suppressed)}"
        total += len(log["runs"][0]["results"])
    print(f"SARIF valid against the 2.1.0 schema ({total} results, 1 suppressed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
