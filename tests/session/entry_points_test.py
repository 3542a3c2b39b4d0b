#!/usr/bin/env python3
"""One check path: the same post with the same decision log gets the same verdict and findings
through every entry point (issue 13).

    entry_points_test.py POSTLINT_BINARY LIBPOSTLINT_SO SOURCE_ROOT

A decision log holds a waiver and an approval for a post; then the post is checked by `check`,
`gate`, `audit`, `serve` (HTTP) and the C API (ctypes over libpostlint.so), each reading that
log. Every one must answer the same verdict, the same findings (rule, level, range, waived or
not) and the same review state. Loopback only; offline.
"""
import ctypes
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import sanitized_child  # noqa: E402  (tests/support)


TEXT = "Our new web site beats Globex. Read the story https://acme.example/story"


def findings_of(post):
    return sorted((f["rule"], f["level"], f["start"], f["end"], f.get("suppressed", {}).get("waiver"))
                  for f in post["findings"])


def summary(post):
    review = post.get("review") or {}
    return {"verdict": post["verdict"], "findings": findings_of(post),
            "approved_by": sorted(a["by"] for a in review.get("approvals", [])),
            "pending": sorted(review.get("pending_roles", []))}


def c_api_in_child(library, policy, db, env):
    child_env = sanitized_child.child_env(library, env)
    run = subprocess.run([sys.executable, __file__, "--c-api", library, policy, db],
                         env=child_env, capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        raise AssertionError(f"C API: exit {run.returncode}\n{run.stderr}")
    return run.stdout


def c_api_main(library, policy, db):
    """Checks TEXT through libpostlint.so and prints the report (the child process's job)."""
    lib = ctypes.CDLL(library)
    lib.postlint_checker_new.restype = ctypes.c_void_p
    lib.postlint_checker_new.argtypes = [ctypes.c_char_p, ctypes.c_char_p,
                                         ctypes.POINTER(ctypes.c_char_p)]
    lib.postlint_check_json.restype = ctypes.c_void_p
    lib.postlint_check_json.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                        ctypes.POINTER(ctypes.c_int)]
    lib.postlint_string_free.argtypes = [ctypes.c_void_p]
    lib.postlint_checker_free.argtypes = [ctypes.c_void_p]
    error = ctypes.c_char_p()
    options = json.dumps({"decision_log": db, "offline": True}).encode()
    checker = lib.postlint_checker_new(policy.encode(), options, ctypes.byref(error))
    assert checker, error.value
    verdict = ctypes.c_int()
    report = lib.postlint_check_json(
        checker, json.dumps({"text": TEXT, "network": "linkedin"}).encode(),
        ctypes.byref(verdict))
    print(ctypes.string_at(report).decode())
    lib.postlint_string_free(report)
    lib.postlint_checker_free(checker)
    return 0


def main():
    binary, library, root = (os.path.abspath(a) for a in sys.argv[1:4])
    policy = os.path.join(root, "fixtures/gate/acme.yaml")
    tmp = tempfile.mkdtemp()
    procs = []
    try:
        db = os.path.join(tmp, "decisions.db")
        env = dict(os.environ, POSTLINT_DATA_DIR=os.path.join(root, "rules"), POSTLINT_OFFLINE="1",
                   POSTLINT_CACHE_DIR=os.path.join(tmp, "cache"), POSTLINT_DB=db, HOME=tmp)
        draft = os.path.join(tmp, "post.md")
        open(draft, "w").write("---\nnetwork: linkedin\n---\n" + TEXT + "\n")

        def cli(*args, check=True):
            run = subprocess.run([binary, *args, "--policy", policy], cwd=tmp, env=env,
                                 capture_output=True, text=True)
            if check and run.returncode not in (0, 1, 3):
                raise AssertionError(f"{args}: exit {run.returncode}\n{run.stderr}")
            return run

        # The team's decisions: the post is gated, its spelling finding waived by an editor,
        # and legal approves the comparison with a competitor.
        cli("gate", "post.md", "--as", "ci")
        cli("waive", "spelling", "post.md", "--role", "editor", "--as", "bob", "--reason",
            "house style exception", "--for", "7d")
        cli("approve", "post.md", "--role", "legal", "--as", "lena")

        results = {}
        results["check"] = json.loads(cli("check", "--format", "jsonl", "post.md").stdout)
        shutil.copy(db, os.path.join(tmp, "gate-copy.db"))
        results["gate"] = json.loads(cli("gate", "--format", "jsonl", "--as", "ci", "--db",
                                         os.path.join(tmp, "gate-copy.db"), "post.md").stdout)
        results["audit"] = json.loads(cli("audit", "--format", "jsonl", "--progress", "never",
                                          "post.md").stdout)

        # The HTTP service with the same log.
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        proc = subprocess.Popen([binary, "serve", "--policy", policy, "--port", str(port), "--db",
                                 db, "--no-access-log"], env=env, stderr=subprocess.DEVNULL)
        procs.append(proc)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/v1/check", json.dumps({"text": TEXT, "network": "linkedin"}),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        body = json.loads(response.read())
        assert response.status == 200, body
        results["serve"] = body["posts"][0]

        # The C API with the same log, in a process of its own: a sanitizer build of the library
        # needs its runtime loaded first (LD_PRELOAD), which only a new process can do.
        results["c-api"] = json.loads(c_api_in_child(library, policy, db, env))

        expected = summary(results["check"])
        assert expected["verdict"] == "pass", expected
        assert any(f[0] == "spelling" and f[4] for f in expected["findings"]), expected
        assert expected["approved_by"] == ["lena"], expected
        failures = 0
        for entry, post in results.items():
            got = summary(post)
            if got != expected:
                failures += 1
                print(f"{entry} differs from check:\n  check: {expected}\n  {entry}: {got}")
            if post.get("fingerprint") != results["check"].get("fingerprint"):
                failures += 1
                print(f"{entry}: fingerprint {post.get('fingerprint')} differs")
        if failures:
            return 1
        print(f"one check path: {', '.join(results)} agree: {expected}")
        return 0
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--c-api"]:
        sys.exit(c_api_main(*sys.argv[2:5]))
    sys.exit(main())
