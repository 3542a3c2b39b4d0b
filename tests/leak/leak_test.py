#!/usr/bin/env python3
"""A detected secret never leaves postlint in full (issue 14).

    leak_test.py BINARY LIBRARY ROOT [--count N] [--seed S] [--keep DIR] [--inspect]
                 [--allow-undetected] [--max-report N]

plant_secrets.py writes posts carrying random, valid secrets (cards, IBANs, AWS, GitHub, Slack
and Stripe keys, JWTs, private keys, passwords), each post also tripping the other shipped rules
around its secret. Then every way out of postlint runs over them, offline, in a scratch
directory:

  check     every --format, on the Markdown drafts, posts.jsonl, broken.jsonl and broken.csv
  audit     every --format (-o FILE), plus --summary-json and a --sample text run
  gate      --as ci, then `log` and `queue` and `waivers` in every format, and `log verify`
  serve     every post through POST /v1/check (one batch with "record": true), bad requests
            carrying secrets, /metrics; the server's stdout and stderr with the access log on
  C API     every post and the bad requests through postlint_check_json (ctypes, in a child
            process: a sanitizer build needs its runtime preloaded)
  inspect   only with --inspect (a diagnostic that prints URLs and hashtags as written)

Then it reads everything that came out: stdout, stderr, HTTP bodies, and every file in the
scratch directory but the inputs (reports, the SQLite decision log and its journal, the link
cache, whatever else appeared), as bytes. A leak is any run of 8 or more consecutive characters
of a planted secret's value (see plant_secrets.py: the digits of a card, the random part of a
token...), looked for in the output as written, HTML/percent-decoded, lower-cased (in runs
without capitals), and with single separators between capitals and digits removed (so
"4526 0181 5908 3012" leaking as "4526018159083012" or "0181 5908 3012" is caught). Each leak
is listed with its output, the secret's kind, where in the output it sits (JSON path, CSV
column, table column, HTML element, report line), the rule of the finding that carries it, and
20 characters of context; then a table of leak sites and the leaks per output. With --keep,
DIR/leaks.json and DIR/leak-sites.json hold them all.

Self-check (the test must not pass because the generator planted nothing real): the JSONL check
report must hold, for every kind, a finding of that kind's detector on a post that carries one;
every secret the generator calls detectable is counted, and misses are listed.

Exit: 0 no leak, 1 leaks (or a failed self-check, or a command that did not run as
expected), 77 BINARY missing. Leaks of secrets the shipped detectors cannot see by design
(alt text, the cue word 'passwort') fail the test too, unless --allow-undetected; leaks of
secrets in unreadable records and refused requests always do.

Runs offline on loopback; about a minute with --count 1000 on a Release build (2 cores).
"""
import argparse
import bisect
import csv
import ctypes
import hashlib
import html
import http.client
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter, defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import sanitized_child  # noqa: E402  (tests/support)

HERE = os.path.dirname(os.path.abspath(__file__))
WINDOW = 8  # a run of this many characters of a secret is a leak
CONTEXT = 20
CHECK_FORMATS = ["text", "json", "jsonl", "summary", "summary-json", "sarif", "junit", "csv",
                 "html"]
FORMAT_EXT = {"text": "txt", "json": "json", "jsonl": "jsonl", "summary": "txt",
              "summary-json": "json", "sarif": "sarif", "junit": "xml", "csv": "csv",
              "html": "html"}
LOG_FORMATS = ["text", "json", "csv"]


def load_generator():
    spec = importlib.util.spec_from_file_location("plant_secrets",
                                                  os.path.join(HERE, "plant_secrets.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# --- the C API, in a child process (as tests/session/entry_points_test.py) ----------------------

def c_api_in_child(library, policy, db, bodies_file, env, out_dir):
    child_env = sanitized_child.child_env(library, env)
    run = subprocess.run([sys.executable, os.path.abspath(__file__), "--c-api", library, policy,
                          db, bodies_file], env=child_env, capture_output=True, timeout=300)
    with open(os.path.join(out_dir, "c-api.stdout"), "wb") as f:
        f.write(run.stdout)
    with open(os.path.join(out_dir, "c-api.stderr"), "wb") as f:
        f.write(run.stderr)
    return run.returncode


def c_api_main(library, policy, db, bodies_file):
    """Checks each body (one JSON text per line of `bodies_file`) through libpostlint.so and
    prints every report, and any error string, one per line (the child process's job)."""
    lib = ctypes.CDLL(library)
    lib.postlint_checker_new.restype = ctypes.c_void_p
    lib.postlint_checker_new.argtypes = [ctypes.c_char_p, ctypes.c_char_p,
                                         ctypes.POINTER(ctypes.c_void_p)]
    lib.postlint_check_json.restype = ctypes.c_void_p
    lib.postlint_check_json.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                        ctypes.POINTER(ctypes.c_int)]
    lib.postlint_policy_json.restype = ctypes.c_void_p
    lib.postlint_policy_json.argtypes = [ctypes.c_void_p]
    lib.postlint_string_free.argtypes = [ctypes.c_void_p]
    lib.postlint_checker_free.argtypes = [ctypes.c_void_p]
    error = ctypes.c_void_p()
    options = json.dumps({"decision_log": db, "offline": True}).encode()
    checker = lib.postlint_checker_new(policy.encode(), options, ctypes.byref(error))
    if not checker:
        print(ctypes.string_at(error).decode(errors="replace") if error else "no checker")
        return 2
    out = sys.stdout.buffer
    policy_json = lib.postlint_policy_json(checker)
    if policy_json:
        out.write(ctypes.string_at(policy_json) + b"\n")
        lib.postlint_string_free(policy_json)
    with open(bodies_file, "rb") as f:
        for line in f:
            body = json.loads(line)
            verdict = ctypes.c_int(-1)
            report = lib.postlint_check_json(checker, body.encode(), ctypes.byref(verdict))
            if report:
                out.write(ctypes.string_at(report) + b"\n")
                lib.postlint_string_free(report)
    lib.postlint_checker_free(checker)
    return 0


# --- the needles --------------------------------------------------------------------------------

ANCHOR = 6   # scanned every STRIDE characters: a run of WINDOW always holds one
STRIDE = WINDOW - ANCHOR + 1


class Needles:
    """Every WINDOW-character run of every secret's forms, mapped to the secrets that hold it.

    The scan looks up ANCHOR-character runs every STRIDE characters (any WINDOW-character
    run of the text holds one) and confirms each candidate with the WINDOW-character runs
    around it: a third of the lookups of a plain sliding window, with the same answer."""

    RUN = re.compile(r"[A-Za-z0-9+/=!@^~_.\-]{%d,}" % WINDOW)
    HEX_LETTERS = set("abcdefABCDEF")
    HEXCHARS = set("0123456789abcdefABCDEF")

    def __init__(self, secrets):
        self.secrets = secrets
        self.map = defaultdict(set)
        self.anchors = set()
        # Lower-cased too, for runs without capitals: an error message that folds case
        # ("unknown network 'xoxb-…'") still gives the secret away.
        self.map_folded = defaultdict(set)
        self.anchors_folded = set()
        for i, s in enumerate(secrets):
            for form in s["forms"]:
                for k in range(len(form) - WINDOW + 1):
                    self.map[form[k:k + WINDOW]].add(i)
                    self.map_folded[form[k:k + WINDOW].lower()].add(i)
                for k in range(len(form) - ANCHOR + 1):
                    self.anchors.add(form[k:k + ANCHOR])
                    self.anchors_folded.add(form[k:k + ANCHOR].lower())
        for w, ids in self.map.items():
            self.map_folded[w] |= ids
        self.anchors_folded |= self.anchors

    def _is_hash_context(self, text, a, b):
        """A digits-only window inside a hex digest (a fingerprint, a SHA-256) is chance."""
        lo, hi = a, b
        while lo > 0 and text[lo - 1].isalnum():
            lo -= 1
        while hi < len(text) and text[hi].isalnum():
            hi += 1
        token = text[lo:hi]
        # Digest lengths only: a German IBAN ("DE" and 20 digits) is hex too.
        return (len(token) in (12, 16, 32, 40, 64) and set(token) <= self.HEXCHARS and
                bool(set(token) & self.HEX_LETTERS))

    def find(self, text):
        """[(secret index, start, end)]: maximal runs of consecutive windows of one secret."""
        spans = []
        for m in self.RUN.finditer(text):
            run, base = m.group(), m.start()
            n = len(run)
            if run.islower():
                anchors, get = self.anchors_folded, self.map_folded.get
            else:
                anchors, get = self.anchors, self.map.get
            starts = set()
            for k in range(0, n - ANCHOR + 1, STRIDE):
                if run[k:k + ANCHOR] in anchors:
                    starts.update(range(max(0, k - STRIDE + 1), min(k, n - WINDOW) + 1))
            if not starts:
                continue
            open_spans = {}  # secret -> [start, end)
            for q in sorted(starts):
                window = run[q:q + WINDOW]
                hits = get(window)
                if not hits:
                    continue
                for i in hits:
                    if window.isdigit() and self._is_hash_context(text, base + q, base + q + WINDOW):
                        continue
                    span = open_spans.get(i)
                    if span and span[1] >= base + q + WINDOW - 1:
                        span[1] = base + q + WINDOW
                    else:
                        if span:
                            spans.append((i, span[0], span[1]))
                        open_spans[i] = [base + q, base + q + WINDOW]
            for i, (a, b) in open_spans.items():
                spans.append((i, a, b))
        return spans


SEPARATED = re.compile(r"(?<=[A-Z0-9])[ \-.\u00a0\u202f\u2009](?=[A-Z0-9])")
GROUPED = re.compile(r"[A-Z0-9]+(?:[ \-.\u00a0\u202f\u2009][A-Z0-9]+)+")


def decoded_view(text):
    """The text with HTML entities and percent escapes decoded, or None when it has none."""
    decoded = text
    if "&" in decoded:
        decoded = html.unescape(decoded)
    if "%" in decoded:
        decoded = urllib.parse.unquote(decoded)
    return decoded if decoded != text else None


def find_all(needles, text):
    """[(view, secret index, start, end, snippet, core)] for one output's text: as written,
    decoded, and with the separators of grouped capitals and digits removed ("4526 0181
    5908 3012" read as "4526018159083012"; positions then point into the written text)."""
    found = []
    views = [("raw", text)]
    decoded = decoded_view(text)
    if decoded is not None:
        views.append(("decoded", decoded))
    for view, t in views:
        for i, a, b in needles.find(t):
            lo, hi = max(0, a - CONTEXT), min(len(t), b + CONTEXT)
            found.append((view, i, a, b, t[lo:a] + "[[" + t[a:b] + "]]" + t[b:hi], t[a:b]))
        for m in GROUPED.finditer(t):
            group = m.group()
            if len(group) <= WINDOW:
                continue
            joined = SEPARATED.sub("", group)
            if joined == group:
                continue
            for i, a, b in needles.find(joined):
                lo, hi = max(0, m.start() - CONTEXT), min(len(t), m.end() + CONTEXT)
                found.append((view + "+joined", i, m.start(), m.end(),
                              t[lo:m.start()] + "[[" + group + "]]" + t[m.end():hi],
                              joined[a:b]))
    return found


def json_leaves(value, out, path="", rule=None):
    """Appends (JSON path, rule, string) for every string in `value`; strings that hold JSON
    (a decision log's details column) are opened."""
    if isinstance(value, dict):
        r = value.get("rule") or value.get("ruleId")
        r = r if isinstance(r, str) else rule
        for k, v in value.items():
            json_leaves(v, out, f"{path}.{k}", r)
    elif isinstance(value, list):
        for v in value:
            json_leaves(v, out, f"{path}[]", rule)
    elif isinstance(value, str):
        if value[:1] in "{[" and len(value) > 1:
            try:
                json_leaves(json.loads(value), out, path + "<json>", rule)
                return
            except ValueError:
                pass
        out.append((path or "(value)", rule, value))
    return out


def parse_json_documents(text):
    """One JSON document, or one per line (JSONL, the C API's output); None when neither."""
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    docs = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            docs.append(json.loads(line))
        except ValueError:
            docs.append(line)  # a plain line (a log line): searched as a string
    return docs or None


TEXT_HEADER = re.compile(r"^(?P<loc>\S.*?): (?P<level>error|warning|info) (?P<rule>[\w.\-/]+): ")


def text_line_site(text, pos):
    """The kind of report line at `pos` in a text output, and the rule it belongs to."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:end if end >= 0 else len(text)]
    rule = None
    # The rule of the diagnostic this line belongs to: the nearest header above.
    k = start
    while k > 0:
        prev_start = text.rfind("\n", 0, k - 1) + 1
        m = TEXT_HEADER.match(text[prev_start:k - 1])
        if m:
            rule = m.group("rule")
            break
        if k - prev_start > 0 and not text[prev_start:k - 1].startswith("  "):
            break
        k = prev_start
    m = TEXT_HEADER.match(line)
    if m:
        rule = m.group("rule")
        where = "diagnostic location" if pos - start < len(m.group("loc")) else "finding message"
        return where, rule
    if line.startswith("  fix:"):
        return "fix line", rule
    if line.startswith("  ") and line.strip().startswith(("^", "~")):
        return "caret line", rule
    if line.startswith("  "):
        return "context line", rule
    if line.startswith("postlint:"):
        return "postlint: message", None
    if re.match(r"^\S+:\d+: error: ", line):
        return "unreadable-record message", None
    if re.match(r"^#\d+\s", line):
        return "log entry line", None
    if line.lstrip().startswith("{"):
        return "JSON log line", None
    return "line: " + line[:30].strip(), rule


MARKUP_TAG = re.compile(r"<([A-Za-z][\w:-]*)([^<>]*)>")


def markup_site(text, pos):
    """The element (and attribute) holding `pos` in HTML or XML."""
    lt = text.rfind("<", 0, pos)
    gt = text.rfind(">", 0, pos)
    if lt > gt:  # inside a tag: an attribute value
        m = MARKUP_TAG.match(text, lt)
        tag = m.group(1) if m else "?"
        attr = re.findall(r'([\w:-]+)="[^"]*$', text[lt:pos])
        return f"<{tag} {attr[-1] if attr else '?'}=...>"
    opened = []
    for m in MARKUP_TAG.finditer(text, max(0, pos - 4000), pos):
        opened.append(m)
    if not opened:
        return "markup text"
    m = opened[-1]
    cls = re.search(r'class="([^"]*)"', m.group(2))
    return f"<{m.group(1)}{'.' + cls.group(1).split()[0] if cls and cls.group(1) else ''}> text"


def markup_rule(text, pos):
    """The rule named nearest before `pos` (data-rule=, rule=, ruleId, a table cell)."""
    for pattern in (r'data-rule="([^"]+)"', r'\brule="([^"]+)"', r'"ruleId":\s*"([^"]+)"',
                    r'(?:^|\n|>)(?:error|warning|info) ([\w.\-/]+) \d+:\d+: ',
                    r'\[(?:error|warning|info)\] ([\w.\-/]+)', r"(?:error|warning|info) ([\w.\-/]+):"):
        ms = list(re.finditer(pattern, text[max(0, pos - 3000):pos]))
        if ms:
            return ms[-1].group(1)
    return None


def csv_leaves(text):
    out = []
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return out
    if not rows:
        return out
    header = rows[0]
    rule_col = header.index("rule") if "rule" in header else None
    for row in rows[1:]:
        rule = row[rule_col] if rule_col is not None and rule_col < len(row) else None
        for c, cell in enumerate(row):
            name = header[c] if c < len(header) else f"{c + 1}"
            json_leaves(cell, out, f"column {name}", rule)
    return out


def sqlite_leaves(path):
    out = []
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for t in tables:
            cur = con.execute(f'SELECT * FROM "{t}"')
            cols = [d[0] for d in cur.description]
            for row in cur:
                for c, v in zip(cols, row):
                    if isinstance(v, bytes):
                        v = v.decode("utf-8", "replace")
                    if isinstance(v, str):
                        json_leaves(v, out, f"table {t}.{c}")
        con.close()
    except sqlite3.Error as e:
        out.append((f"(sqlite unreadable: {e})", None, ""))
    return out


def transform(view, s):
    if view.startswith("decoded"):
        if "&" in s:
            s = html.unescape(s)
        if "%" in s:
            s = urllib.parse.unquote(s)
    if view.endswith("+joined"):
        s = SEPARATED.sub("", s)
    return s


class Leaves:
    """The strings of a structured output, concatenated per view so that a leaked run is
    located with one str.find and mapped back to its leaf (path, rule)."""

    def __init__(self, leaves):
        self.leaves = leaves
        self.cat = {}

    def _view(self, view):
        if view not in self.cat:
            parts = [transform(view, s) for _, _, s in self.leaves]
            starts, pos = [], 0
            for part in parts:
                starts.append(pos)
                pos += len(part) + 1
            self.cat[view] = ("\x00".join(parts), starts)
        return self.cat[view]

    def sites(self, view, core, limit=20):
        text, starts = self._view(view)
        found = []
        k = text.find(core)
        while k >= 0 and len(found) < limit:
            leaf = bisect.bisect_right(starts, k) - 1
            path, rule, _ = self.leaves[leaf]
            found.append((path, rule))
            k = text.find(core, k + 1)
        return found


# --- the runs ------------------------------------------------------------------------------------

class Runner:
    def __init__(self, binary, env, cwd, out_dir):
        self.binary, self.env, self.cwd, self.out = binary, env, cwd, out_dir
        self.problems = []
        self.runs = 0
        self.times = []

    def run(self, name, args, ok=(0, 1, 2, 3), stdin=None):
        self.runs += 1
        t0 = time.monotonic()
        proc = subprocess.run([self.binary, *args], cwd=self.cwd, env=self.env,
                              capture_output=True, input=stdin, timeout=600)
        self.times.append((time.monotonic() - t0, name))
        with open(os.path.join(self.out, name + ".stdout"), "wb") as f:
            f.write(proc.stdout)
        with open(os.path.join(self.out, name + ".stderr"), "wb") as f:
            f.write(proc.stderr)
        if proc.returncode not in ok:
            self.problems.append(f"{name}: exit {proc.returncode} "
                                 f"({' '.join(args)}): {proc.stderr[-300:].decode(errors='replace')}")
        return proc


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve_all(runner, policy, db, posts, bad_requests, out_dir):
    """Every post through POST /v1/check, the bad requests, /metrics; returns the HTTP count."""
    port = free_port()
    log = open(os.path.join(out_dir, "serve.stderr"), "wb")
    stdout = open(os.path.join(out_dir, "serve.stdout"), "wb")
    proc = subprocess.Popen([runner.binary, "serve", "--policy", policy, "--port", str(port),
                             "--db", db, "--offline", "--max-posts", "100"],
                            cwd=runner.cwd, env=runner.env, stdout=stdout, stderr=log)
    responses = 0
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    runner.problems.append(f"serve: exited {proc.returncode} at start")
                    return 0
                time.sleep(0.05)
        bodies_dir = os.path.join(out_dir, "serve")
        os.makedirs(bodies_dir, exist_ok=True)

        def post(name, body, path="/v1/check", method="POST", expect=None):
            nonlocal responses
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request(method, path, body=body,
                         headers={"Content-Type": "application/json"} if body is not None else {})
            r = conn.getresponse()
            data = r.read()
            conn.close()
            responses += 1
            with open(os.path.join(bodies_dir, f"{responses:03d}-{name}.json"), "wb") as f:
                f.write(data)
            if expect and r.status not in expect:
                runner.problems.append(f"serve {name}: HTTP {r.status}")
            return r.status

        post("one-post", json.dumps(posts[0]), expect=(200,))
        batch = 50
        for k in range(0, len(posts), batch):
            body = {"posts": posts[k:k + batch]}
            if k == 0:
                body.update({"record": True, "actor": "scheduler"})
            post(f"batch-{k // batch:03d}", json.dumps(body), expect=(200,))
        for req in bad_requests:
            post("bad-" + req["name"], req["body"], expect=(400, 413, 415, 422))
        post("policies", None, "/v1/policies", "GET")
        post("metrics", None, "/metrics", "GET")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            runner.problems.append("serve: did not stop on SIGTERM")
        log.close()
        stdout.close()
    if proc.returncode not in (0, -signal.SIGTERM):
        runner.problems.append(f"serve: exit {proc.returncode}")
    return responses


POLICY = """\
# The leak test's policy: every shipped rule, with hashtag caps on every network so the
# hashtag count finding covers the tags (and the secret between them), and the unfinished-draft
# patterns on alt text too.
name: leak-test
version: "1.0"
extends: [default, confidential]
networks:
  x: {max_hashtags: 3}
  bluesky: {max_hashtags: 3}
  linkedin: {max_hashtags: 3}
  facebook: {max_hashtags: 3}
rules:
  - id: unfinished-alt-text
    kind: pattern
    level: error
    scope: alt_text
    patterns:
      - '\\b(?:TODO|TBD|FIXME|XXX)\\b'
      - '\\[(?:insert|add|link|name)[^\\]]*\\]'
    message: "Unfinished alt text: '{match}'"
"""


def self_check(secrets, check_jsonl_path, gen):
    """Per kind: how many detectable secrets got a finding of their detector in the JSONL check
    report (of every input). Returns (ok, lines)."""
    reports = {}
    with open(check_jsonl_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                o = json.loads(line)
            except ValueError:
                continue
            if o.get("verdict") != "error":  # a post may be read from several files
                reports.setdefault(o.get("id"), []).append(o)
    planted, detected = Counter(), Counter()
    misses = []
    for s in secrets:
        if not s["detectable"]:
            continue
        planted[s["kind"]] += 1
        types = {f.get("type") for o in reports.get(s["post"], []) for f in o.get("findings", [])
                 if f.get("kind") == "detector"}
        if s["detector"] in types:
            detected[s["kind"]] += 1
        else:
            misses.append(s)
    ok = True
    lines = []
    for kind in gen.KINDS:
        if planted[kind] == 0:
            continue
        mark = "ok" if detected[kind] else "NEVER DETECTED"
        if not detected[kind]:
            ok = False
        lines.append(f"  {kind:15} {detected[kind]:5}/{planted[kind]:<5} {gen.DETECTOR[kind]:20} {mark}")
    for s in misses[:10]:
        lines.append(f"  missed: {s['post']} {s['kind']} ({s['mode']}): {s['written'][:50]!r}")
    if len(misses) > 10:
        lines.append(f"  ... {len(misses) - 10} more missed")
    if not reports:
        ok = False
        lines.append("  the JSONL check report holds no post")
    return ok, lines


def scan(tmp, skip_dir, needles):
    """Reads every file under tmp but those under skip_dir (the inputs). Returns the outputs
    read, their total size, the leaks {(output, secret index): [(view, start, end, snippet,
    leaked run)]} and {output: (path, text, bytes)}."""
    leaks = defaultdict(list)
    scanned, total = [], 0
    texts = {}
    found_in = {}
    for dirpath, dirnames, filenames in os.walk(tmp):
        d = os.path.abspath(dirpath)
        if d == skip_dir or d.startswith(skip_dir + os.sep):
            continue
        for fn in sorted(filenames):
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, tmp)
            with open(path, "rb") as f:
                data = f.read()
            scanned.append(rel)
            total += len(data)
            text = data.decode("utf-8", "replace")
            texts[rel] = (path, text, data)
            digest = hashlib.sha1(data).digest()  # check and audit often write the same bytes
            if digest not in found_in:
                found_in[digest] = find_all(needles, text)
            for view, i, a, b, snippet, core in found_in[digest]:
                leaks[(rel, i)].append((view, a, b, snippet, core))
    return scanned, total, leaks, texts


def output_type(rel, text, data):
    lower = rel.lower()
    if data.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if lower.endswith(".csv") or "-csv." in lower:
        return "csv"
    if lower.endswith((".html", ".xml")) or "-html." in lower or "-junit." in lower:
        return "markup"
    if text.lstrip()[:1] in "{[":
        return "json"
    return "text"


def attribute(rel, path, text, data, leaked):
    """{secret index: [(site, rule)]} for the leaks of output rel (leaked: {i: examples})."""
    kind = output_type(rel, text, data)
    leaves = None
    if kind == "sqlite":
        leaves = Leaves(sqlite_leaves(path))
        fallback = "page bytes (freed, or outside the tables)"
    elif kind == "csv":
        leaves = Leaves(csv_leaves(text))
        fallback = "CSV (outside a cell)"
    elif kind == "markup":
        fallback = "markup (decoded)"
    elif kind == "json":
        docs = parse_json_documents(text) or []
        out = []
        for d in docs:
            if isinstance(d, str):
                out.append(("(line that is not JSON)", None, d))
            else:
                json_leaves(d, out)
        leaves = Leaves(out)
        fallback = "JSON (outside a string)"
    else:
        fallback = "text (decoded)"
    result = {}
    for i, examples in leaked.items():
        sites = []
        if leaves is not None:
            for view, a, b, snippet, core in examples[:3]:
                sites.extend(leaves.sites(view, core))
        elif fallback.startswith("markup"):
            for view, a, b, _, _ in examples[:5]:
                if view.startswith("raw"):
                    site = markup_site(text, a)
                    # An unreadable record's <error> belongs to no rule.
                    sites.append((site, None if site.startswith("<error") else markup_rule(text, a)))
        else:
            for view, a, b, _, _ in examples[:5]:
                if view.startswith("raw"):
                    sites.append(text_line_site(text, a))
        result[i] = sorted(set(sites or [(fallback, None)]), key=str)
    return result


def output_kind(rel):
    """Groups outputs: 'out/check-text.stdout' -> 'check-text.stdout', serve bodies together."""
    parts = rel.split(os.sep)
    if parts[:2] == ["out", "serve"]:
        name = re.sub(r"^\d+-", "", parts[-1])
        name = re.sub(r"batch-\d+", "batch-N", name)
        return "serve response " + name
    if parts[0] == "out":
        return "/".join(parts[1:])
    return rel


def main():
    ap = argparse.ArgumentParser(description="postlint leak test (issue 14)")
    ap.add_argument("binary")
    ap.add_argument("library")
    ap.add_argument("root")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep everything")
    ap.add_argument("--inspect", action="store_true", help="also run `postlint inspect`")
    ap.add_argument("--allow-undetected", action="store_true",
                    help="do not fail on leaks of secrets the detectors cannot see by design")
    ap.add_argument("--max-report", type=int, default=60, help="leaks listed one by one")
    a = ap.parse_args()
    binary, library, root = (os.path.abspath(p) for p in (a.binary, a.library, a.root))
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"SKIP: {binary} is missing")
        return 77
    started = time.monotonic()
    gen = load_generator()

    if a.keep:
        tmp = os.path.abspath(a.keep)
        if os.path.isdir(tmp) and os.listdir(tmp):
            if not os.path.exists(os.path.join(tmp, "in", "secrets.json")):
                print(f"--keep {tmp}: not empty and not an earlier leak test run; not touching it")
                return 2
            shutil.rmtree(tmp)
        os.makedirs(tmp, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="postlint-leak-")
    try:
        inputs = os.path.join(tmp, "in")
        out_dir = os.path.join(tmp, "out")
        work = os.path.join(tmp, "work")
        for d in (out_dir, work, os.path.join(tmp, "home"), os.path.join(tmp, "cache"),
                  os.path.join(tmp, "state")):
            os.makedirs(d, exist_ok=True)
        posts, _ = gen.generate(a.seed, a.count, inputs)
        meta = json.load(open(os.path.join(inputs, "secrets.json")))
        secrets = meta["secrets"]
        bad_requests = json.load(open(os.path.join(inputs, "requests.json")))
        policy = os.path.join(inputs, "leak-policy.yaml")
        with open(policy, "w") as f:
            f.write(POLICY)
        db = os.path.join(tmp, "state", "decisions.db")
        env = {k: v for k, v in os.environ.items() if not k.startswith("POSTLINT_")}
        env.update(POSTLINT_DATA_DIR=os.path.join(root, "rules"), POSTLINT_OFFLINE="1",
                   POSTLINT_CACHE_DIR=os.path.join(tmp, "cache"), POSTLINT_DB=db,
                   HOME=os.path.join(tmp, "home"), XDG_CACHE_HOME=os.path.join(tmp, "home", ".cache"),
                   XDG_STATE_HOME=os.path.join(tmp, "home", ".local", "state"),
                   POSTLINT_ACTOR="leak-test", NO_COLOR="1")
        r = Runner(binary, env, work, out_dir)
        rel_in = os.path.relpath(inputs, work)
        posts_jsonl = os.path.join(rel_in, "posts.jsonl")
        all_inputs = [os.path.join(rel_in, "drafts"), posts_jsonl,
                      os.path.join(rel_in, "broken.jsonl"), os.path.join(rel_in, "broken.csv")]
        pol = ["--policy", policy]

        # check: every format, drafts and every input file; the posts alone in JSONL for the
        # self-check.
        for fmt in CHECK_FORMATS:
            r.run(f"check-{fmt}", ["check", *pol, "--format", fmt, *all_inputs])
        first = posts[0]
        r.run("check-stdin", ["check", *pol, "--format", "text", "-"],
              stdin=first["text"].encode())
        # audit: every format to a file, a JSON summary, a sample.
        for fmt in CHECK_FORMATS:
            extra = []
            if fmt == "html":
                extra = ["--summary-json", os.path.join(out_dir, "audit.html.summary.json")]
            r.run(f"audit-{fmt}", ["audit", *pol, "--format", fmt, "--progress", "never", "-o",
                                   os.path.join(out_dir, f"audit.{fmt}.{FORMAT_EXT[fmt]}"),
                                   *extra, *all_inputs])
        small = [os.path.join(rel_in, "drafts"), os.path.join(rel_in, "broken.jsonl"),
                 os.path.join(rel_in, "broken.csv")]
        r.run("audit-sample-text", ["audit", *pol, "--format", "text", "--progress", "never",
                                    "--sample", "10", "--seed", "3", *small])
        # gate, then the decision log in every format.
        r.run("gate-text", ["gate", *pol, "--as", "ci", *all_inputs])
        r.run("gate-jsonl", ["gate", *pol, "--as", "ci", "--format", "jsonl",
                             os.path.join(rel_in, "drafts")])
        for fmt in LOG_FORMATS:
            r.run(f"log-{fmt}", ["log", "--format", fmt])
            r.run(f"log-secrets-{fmt}", ["log", "--rule", "secrets", "--format", fmt])
            r.run(f"queue-{fmt}", ["queue", "--format", fmt])
            r.run(f"waivers-{fmt}", ["waivers", "--all", "--format", fmt])
        r.run("log-verify", ["log", "verify"], ok=(0,))
        if a.inspect:
            for fmt in ("json", "jsonl"):
                r.run(f"inspect-{fmt}", ["inspect", *pol, "--format", fmt, *all_inputs])
        # serve
        cli_seconds = time.monotonic() - started
        http_count = serve_all(r, policy, db, posts, bad_requests, out_dir)
        serve_started = time.monotonic()
        # the C API
        bodies_file = os.path.join(inputs, "c-api-bodies.jsonl")
        with open(bodies_file, "w") as f:
            for p in posts:
                f.write(json.dumps(json.dumps(p)) + "\n")
            for req in bad_requests:
                f.write(json.dumps(req["body"]) + "\n")
        rc = c_api_in_child(library, policy, db, bodies_file, env, out_dir)
        if rc != 0:
            r.problems.append(f"C API child: exit {rc}")
        run_seconds = time.monotonic() - started
        slowest = ", ".join(f"{n} {t:.1f}s" for t, n in sorted(r.times, reverse=True)[:4])
        print(f"timing: CLI runs {cli_seconds:.1f}s (slowest: {slowest}); "
              f"serve and C API {run_seconds - cli_seconds:.1f}s")

        # Self-check: the generator planted real secrets.
        ok, lines = self_check(secrets, os.path.join(out_dir, "check-jsonl.stdout"), gen)
        print("self-check: detector findings per planted kind (JSONL check report):")
        print("\n".join(lines))

        # Read everything that came out.
        needles = Needles(secrets)
        scan_started = time.monotonic()
        scanned, total, leaks, texts = scan(tmp, os.path.abspath(inputs), needles)
        print(f"timing: scan {time.monotonic() - scan_started:.1f}s")

        # Report.
        by_site = defaultdict(lambda: {"secrets": set(), "kinds": Counter(), "outputs": set()})
        failing = 0
        listed = 0
        undetected_only = 0
        print()
        per_output = defaultdict(dict)
        for (rel, i), examples in leaks.items():
            per_output[rel][i] = examples
        attributed_as = {}
        for rel in sorted(per_output):
            path, text, data = texts[rel]
            key = (hashlib.sha1(data).digest(), output_type(rel, text, data))
            if key not in attributed_as:
                attributed_as[key] = attribute(rel, path, text, data, per_output[rel])
            attributed = attributed_as[key]
            for i in sorted(per_output[rel]):
                examples = per_output[rel][i]
                s = secrets[i]
                cls = ("detected" if s["detectable"] else
                       "unreadable input" if s["mode"] in ("broken", "request") else "undetected")
                if cls == "undetected":
                    undetected_only += 1
                if not (cls == "undetected" and a.allow_undetected):
                    failing += 1
                sites = attributed[i]
                for site, rule in sites:
                    key = (output_kind(rel), site, rule or "-", cls)
                    by_site[key]["secrets"].add(i)
                    by_site[key]["kinds"][s["kind"]] += 1
                    by_site[key]["outputs"].add(rel)
                if listed < a.max_report:
                    listed += 1
                    view, _, _, snippet, _ = max(examples,
                                                 key=lambda e: (e[0] == "raw", e[2] - e[1]))
                    site, rule = sites[0]
                    print(f"LEAK {rel}: {s['kind']} of {s['post']} ({cls}, {s['where']}) at "
                          f"{site}{' rule ' + rule if rule else ''} [{view}]: "
                          f"{json.dumps(snippet, ensure_ascii=False)}")
        if len(leaks) > listed:
            print(f"... {len(leaks) - listed} more (output, secret) leaks; see the table below")

        if by_site:
            print("\nleak sites (output, where, rule, secret class: leaked secrets by kind):")
            for key in sorted(by_site, key=lambda k: (-len(by_site[k]["secrets"]), k)):
                v = by_site[key]
                kinds = ", ".join(f"{k} {n}" for k, n in v["kinds"].most_common())
                print(f"  {len(v['secrets']):5}  {key[0]} | {key[1]} | rule {key[2]} | {key[3]}"
                      f" | {kinds}")

        if leaks:
            print("\nleaked secrets per output (detected / undetected / unreadable input):")
            per = defaultdict(Counter)
            for (rel, i) in leaks:
                s = secrets[i]
                per[rel]["detected" if s["detectable"] else "unreadable" if s["mode"] in
                         ("broken", "request") else "undetected"] += 1
            for rel in sorted(per, key=lambda k: (-sum(per[k].values()), k)):
                c = per[rel]
                print(f"  {sum(c.values()):5}  {rel}  ({c['detected']} / {c['undetected']} / "
                      f"{c['unreadable']})")
        leaked_secrets = {i for (_, i) in leaks}
        print(f"\nsummary: {r.runs} CLI runs, {http_count} HTTP requests, C API child; "
              f"{len(scanned)} outputs scanned, {total} bytes scanned; "
              f"{len(secrets)} secrets planted "
              f"({sum(1 for s in secrets if s['detectable'])} detectable); "
              f"leaks found: {len(leaks)} (output, secret) pairs, {len(leaked_secrets)} distinct "
              f"secrets, {undetected_only} of the pairs of secrets the detectors cannot see; "
              f"{run_seconds:.1f}s running postlint, {time.monotonic() - started:.1f}s in all")
        if a.keep:
            # Written after the scan, so it is not read as an output.
            with open(os.path.join(tmp, "leaks.json"), "w") as f:
                json.dump([{"output": rel, "secret": secrets[i]["post"], "kind": secrets[i]["kind"],
                            "where": secrets[i]["where"], "mode": secrets[i]["mode"],
                            "detectable": secrets[i]["detectable"],
                            "examples": [{"view": v, "snippet": sn} for v, _, _, sn, _ in ex[:3]]}
                           for (rel, i), ex in sorted(leaks.items())], f, indent=1)
            with open(os.path.join(tmp, "leak-sites.json"), "w") as f:
                json.dump([{"output": k[0], "site": k[1], "rule": k[2], "class": k[3],
                            "secrets": len(v["secrets"]), "kinds": dict(v["kinds"])}
                           for k, v in by_site.items()], f, indent=1)
        for p in r.problems:
            print("PROBLEM " + p)
        if a.keep:
            print(f"kept: {tmp}")
        if not ok:
            print("FAIL: self-check: a planted kind never produced a detector finding")
            return 1
        if r.problems:
            print("FAIL: a command did not run as expected")
            return 1
        if failing:
            print(f"FAIL: {failing} leaks")
            return 1
        print("PASS: no planted secret left postlint")
        return 0
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--c-api"]:
        sys.exit(c_api_main(*sys.argv[2:6]))
    sys.exit(main())
