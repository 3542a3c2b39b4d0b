#!/usr/bin/env python3
"""Integration test of `postlint serve`: the real server on a free loopback port.

    serve_test.py POSTLINT_BINARY SOURCE_ROOT

Covers every endpoint, bearer auth (401), hostile input (413 body, 413 posts, 415, 400 invalid
JSON, 400 missing text naming the field), hot reload on SIGHUP and on file change (good and
broken policy: the broken one is logged with file:line:col and the old one keeps serving),
graceful shutdown on SIGTERM (an in-flight request completes), the gate (a decision log: verdicts
recorded on request, approvals made meanwhile applied), and validates every JSON response
against docs/api/openapi.yaml.
"""
import http.client
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import jsonschema
import yaml

TOKEN = "s3cret-token-for-tests"
STARTED = []  # every server process, killed at the end even when an assertion failed


class Api:
    def __init__(self, root):
        self.doc = yaml.safe_load(open(os.path.join(root, "docs/api/openapi.yaml")))
        self.resolver = jsonschema.RefResolver("", self.doc)
        self.checked = set()

    def validate(self, path, method, status, body):
        op = self.doc["paths"][path][method]
        response = op["responses"][str(status)]
        if "$ref" in response:
            response = self.doc["components"]["responses"][response["$ref"].split("/")[-1]]
        schema = response["content"]["application/json"]["schema"]
        jsonschema.Draft4Validator(schema, resolver=self.resolver).validate(body)
        self.checked.add((path, method, status))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, binary, policy, env, extra=()):
        self.port = free_port()
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [binary, "serve", "--policy", policy, "--port", str(self.port), "--max-body", "20000",
             "--max-posts", "5", "--read-timeout", "1", *extra],
            env=env, stderr=self.log, stdout=subprocess.DEVNULL)
        STARTED.append(self.proc)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start: " + self.logs())

    def request(self, method, path, body=None, headers=None, token=TOKEN):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read().decode()
        conn.close()
        ctype = r.getheader("Content-Type", "")
        return r.status, (json.loads(data) if ctype.startswith("application/json") else data)

    def logs(self):
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=10)


def gate_checks(binary, root, api, env, tmp):
    """The hook with a decision log: records on request, applies approvals made meanwhile."""
    policy = os.path.join(root, "fixtures/gate/acme.yaml")
    db = os.path.join(tmp, "decisions.db")
    plain = Server(binary, policy, env)
    st, body = plain.request("POST", "/v1/check", {"text": "hi", "record": True})
    assert st == 400 and body["error"]["code"] == "no_decision_log", (st, body)
    api.validate("/v1/check", "post", 400, body)
    assert plain.stop() == 0

    gate_hook_checks(binary, api, env, Server(binary, policy, env, extra=("--db", db)), policy, db)

    log = subprocess.run([binary, "log", "--db", db, "--format", "json"], env=env,
                         capture_output=True, text=True, check=True)
    entries = json.loads(log.stdout)
    assert [(e["action"], e["actor"], e["verdict"]) for e in entries] == [
        ("gate", "scheduler", "review"), ("approve", "bob", "review"),
        ("gate", "scheduler", "pass")], entries
    verify = subprocess.run([binary, "log", "verify", "--db", db], env=env)
    assert verify.returncode == 0


def gate_hook_checks(binary, api, env, s, policy, db):
    post = {"id": "launch-1", "text": "Our web site is live", "record": True,
            "actor": "scheduler"}
    st, body = s.request("POST", "/v1/check", post)
    assert st == 200, (st, body)
    api.validate("/v1/check", "post", 200, body)
    result = body["posts"][0]
    assert result["verdict"] == "review", result
    assert result["review"]["pending_roles"] == ["editor"], result
    fingerprint = result["fingerprint"]

    # A reviewer approves from the command line; the running server sees it on the next check.
    run = subprocess.run([binary, "approve", "--post", fingerprint[:12], "--role", "editor",
                          "--as", "bob", "--policy", policy, "--db", db],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    st, body = s.request("POST", "/v1/check", post)
    api.validate("/v1/check", "post", 200, body)
    assert body["verdict"] == "pass", body
    assert body["posts"][0]["review"]["approvals"][0]["by"] == "bob", body
    # Without `record`, nothing is appended (live linting in an editor); an edited text is a
    # different post, which the approval does not cover.
    st, body = s.request("POST", "/v1/check", {"text": "Our web site is live!"})
    assert st == 200 and body["verdict"] == "review", body
    assert s.stop() == 0


def startup_checks(binary, env, tmp):
    """`serve` finds its policy like `check`, and never shares a port with another instance."""
    team = os.path.join(tmp, "team")
    os.makedirs(os.path.join(team, "sub"))
    open(os.path.join(team, "postlint.yaml"), "w").write(
        "name: discovered\nversion: '7'\nrules:\n  - {id: t, kind: terms, banned: [x]}\n")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--port", str(port)], cwd=os.path.join(team, "sub"),
                            env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    STARTED.append(proc)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/v1/policies", headers={"Authorization": "Bearer " + TOKEN})
    listed = json.loads(conn.getresponse().read())
    assert listed["policies"][0]["name"] == "discovered", listed
    # A second server on the same port is refused, whatever its policy.
    second = subprocess.run([binary, "serve", "--port", str(port)], cwd=team, env=env,
                            capture_output=True, text=True, timeout=20)
    assert second.returncode == 2, (second.returncode, second.stderr)
    assert "address already in use" in second.stderr, second.stderr
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0


def main():
    binary, root = sys.argv[1], sys.argv[2]
    api = Api(root)
    tmp = tempfile.mkdtemp()
    try:
        policy = os.path.join(tmp, "policy.yaml")
        good = ("name: hook\nversion: '1'\nextends: [networks]\nrules:\n"
                "  - {id: length, kind: length, level: error}\n"
                "  - {id: no-todo, kind: pattern, level: error, patterns: ['TODO']}\n")
        open(policy, "w").write(good)
        env = dict(os.environ, POSTLINT_DATA_DIR=os.path.join(root, "rules"), POSTLINT_TOKEN=TOKEN)
        s = Server(binary, policy, env)

        # Health and readiness need no token.
        st, body = s.request("GET", "/healthz", token=None)
        assert st == 200, (st, body); api.validate("/healthz", "get", 200, body)
        st, body = s.request("GET", "/readyz", token=None)
        assert st == 200 and body["policies"] == 1; api.validate("/readyz", "get", 200, body)

        # Auth.
        for token in (None, "wrong"):
            st, body = s.request("POST", "/v1/check", {"text": "hi"}, token=token)
            assert st == 401 and body["error"]["code"] == "unauthorized", (st, body)
            api.validate("/v1/check", "post", 401, body)
        st, _ = s.request("GET", "/metrics", token=None)
        assert st == 401

        # A single post and a batch.
        st, body = s.request("POST", "/v1/check", {"text": "TODO: launch", "network": "x"})
        assert st == 200 and body["verdict"] == "fail", body
        assert body["posts"][0]["findings"][0]["rule"] == "no-todo"
        api.validate("/v1/check", "post", 200, body)
        st, body = s.request("POST", "/v1/check",
                             {"posts": [{"text": "ok", "network": "x"}, {"text": "x" * 300, "network": "x"}]})
        assert st == 200 and body["verdict"] == "fail" and len(body["posts"]) == 2, body
        assert body["posts"][0]["verdict"] == "pass"
        api.validate("/v1/check", "post", 200, body)

        # Hostile input.
        cases = [
            ({"text": "a" * 30000}, None, 413, "body_too_large"),
            ({"posts": [{"text": "a"}] * 6}, None, 413, "too_many_posts"),
            ("text=hi", {"Content-Type": "text/plain"}, 415, "unsupported_media_type"),
            ("{not json", {"Content-Type": "application/json"}, 400, "invalid_json"),
            ({"txt": "hi"}, None, 400, "invalid_post"),
            ({"text": "hi", "sponsored": "maybe"}, None, 400, "invalid_post"),
            ({"text": "hi", "sponsord": True}, None, 400, "invalid_post"),
            ({"text": "hi", "network": "linkdin"}, None, 400, "unknown_network"),
            ({"posts": [{"text": "a", "network": "x"}, {"text": "b", "networks": ["x", "twiter"]}]},
             None, 400, "unknown_network"),
            ({"text": "hi", "policy": "nope"}, None, 400, "unknown_policy"),
            ([1, 2], None, 400, "invalid_request"),
        ]
        for body_in, headers, status, code in cases:
            st, body = s.request("POST", "/v1/check", body_in, headers)
            assert st == status and body["error"]["code"] == code, (body_in, st, body)
            api.validate("/v1/check", "post", status, body)
        st, body = s.request("POST", "/v1/check", {"txt": "hi"})
        assert body["error"]["field"] == "txt", body
        assert "did you mean 'text'" in body["error"]["message"], body
        st, body = s.request("POST", "/v1/check", {"text": "hi", "sponsored": "maybe"})
        assert body["error"]["field"] == "sponsored", body
        st, body = s.request("POST", "/v1/check", {"text": "hi", "network": "linkdin"})
        assert body["error"]["field"] == "network", body
        assert "did you mean 'linkedin'" in body["error"]["message"], body
        # The same spellings as every reader: "yes" is true, "x, bluesky" two networks.
        st, body = s.request("POST", "/v1/check",
                             {"text": "hi", "sponsored": "yes", "networks": "x, bluesky"})
        assert st == 200, body
        # A post without an id is known by its fingerprint, never a shared "post-1".
        st, body = s.request("POST", "/v1/check", {"posts": [{"text": "one", "network": "x"},
                                                             {"text": "two", "network": "x"}]})
        ids = [p["id"] for p in body["posts"]]
        assert len(set(ids)) == 2 and all(len(i) == 12 for i in ids), ids
        # A post with no network is checked against the policy's defaults, or says it was not.
        st, body = s.request("POST", "/v1/check", {"text": "hi"})
        assert body["verdict"] == "review", body
        assert body["posts"][0]["findings"][0]["rule"] == "postlint.network-coverage", body

        # A client that stops sending mid-request is cut off after --read-timeout (1 s here).
        slow = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        slow.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"text\": ")
        started = time.time()
        try:
            data = slow.recv(4096)
        except socket.timeout:
            data = None
        waited = time.time() - started
        slow.close()
        assert data is not None and waited < 4, f"slow client not cut off ({waited:.1f} s)"
        if data:
            assert data.startswith(b"HTTP/1.1 4"), data[:80]

        # Policies and metrics.
        st, body = s.request("GET", "/v1/policies")
        assert st == 200 and body["policies"][0]["name"] == "hook"
        sha_before = body["policies"][0]["sha256"]
        api.validate("/v1/policies", "get", 200, body)
        st, text = s.request("GET", "/metrics")
        assert st == 200 and 'postlint_posts_checked_total{verdict="fail"} 2' in text, text
        assert "postlint_request_duration_seconds_bucket" in text
        assert 'postlint_findings_total{rule="no-todo"} 1' in text

        # Hot reload: a broken policy is refused and logged; the old one keeps serving.
        open(policy, "w").write(good.replace("patterns: ['TODO']", "patterns: ['(']"))
        s.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert "policy_reload_failed" in s.logs() and "policy.yaml:6:" in s.logs(), s.logs()
        st, body = s.request("POST", "/v1/check", {"text": "TODO", "network": "x"})
        assert body["verdict"] == "fail", body
        # A good change on disk is picked up by the file watcher, without a signal.
        time.sleep(1.1)  # a distinct modification time
        open(policy, "w").write(good.replace("'TODO'", "'FIXME'").replace("version: '1'", "version: '2'"))
        deadline = time.time() + 5
        while time.time() < deadline:
            st, body = s.request("GET", "/v1/policies")
            if body["policies"][0]["version"] == "2":
                break
            time.sleep(0.2)
        assert body["policies"][0]["sha256"] != sha_before, body
        st, body = s.request("POST", "/v1/check", {"text": "TODO", "network": "x"})
        assert body["verdict"] == "pass", body

        # The access log never contains post text or the token.
        logs = s.logs()
        assert "launch" not in logs and TOKEN not in logs, logs
        assert '"path":"/v1/check"' in logs

        # Live link checks are SSRF-strict in the service: a policy that allows loopback is
        # overridden, and a link to a server on 127.0.0.1 is refused without a request.
        hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            def do_HEAD(self):
                self.do_GET()

            def log_message(self, *args):
                pass

        target = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=target.serve_forever, daemon=True).start()
        links_policy = os.path.join(tmp, "links.yaml")
        open(links_policy, "w").write(
            "name: links\nrules:\n  - {id: links, kind: links, level: error, live: true,"
            " allow_ranges: ['127.0.0.0/8'], timeout_ms: 500}\n")
        # Online for this one (the only server it may reach is the test's own, on loopback).
        s2 = Server(binary, links_policy, dict(env, POSTLINT_CACHE_DIR=os.path.join(tmp, "cache"),
                                               POSTLINT_OFFLINE="0"))
        url = f"http://127.0.0.1:{target.server_address[1]}/launch"
        st, body = s2.request("POST", "/v1/check", {"text": "See " + url})
        assert st == 200, body
        types = [f.get("type") for f in body["posts"][0]["findings"]]
        assert hits == [], f"the service fetched a loopback URL: {hits}"
        assert types and all(t in ("internal", "ip", "unsafe") for t in types), body
        s2.stop()
        target.shutdown()

        # Graceful shutdown: a request in flight when SIGTERM arrives still gets its answer.
        big = {"posts": [{"text": "word " * 3000, "network": "x"}] * 5}
        result = {}
        t = threading.Thread(target=lambda: result.update(r=s.request("POST", "/v1/check", big)))
        t.start()
        time.sleep(0.02)
        code = s.stop()
        t.join(10)
        assert code == 0, code
        assert result.get("r", (0,))[0] in (200, 413), result  # answered, not dropped
        gate_checks(binary, root, api, env, tmp)
        startup_checks(binary, env, tmp)
        print(f"serve OK: {len(api.checked)} endpoint/status pairs validated against OpenAPI")
        return 0
    finally:
        for proc in STARTED:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
