#!/usr/bin/env python3
"""Hostile clients against `postlint serve` (issue 15: hostile input cannot take postlint down).

    serve_attacks.py POSTLINT_BINARY SOURCE_ROOT [--memory] [--only NAME[,NAME...]]

Every attack starts its own server (`--port 0`, the port read from the "listening" log line),
talks raw HTTP/1.1 over sockets to 127.0.0.1 only, and is its own check with a message saying
what went wrong. Without --memory it runs every attack but the 900 KB memory one (ctest
security_serve); with --memory only that one (ctest security_serve_memory). Standard library
only. Prints one PASS/FAIL line per attack with the figures measured; exit 1 if any failed.

The limits tested are the service's defaults (docs/serve.md): a whole-request deadline
(--read-timeout 5 s), 16 KiB and 100 header fields (431), 1 MiB of body, chunked too (413),
2 threads per core (at least 8), a 5 s shutdown grace.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

STARTED = []  # every server process, killed at the end even when a check failed
GRACE_S = 5  # the default --shutdown-grace
LIMIT_MS = 100  # a normal request while slowloris connections are open


class Server:
    """`postlint serve --port 0` with the default policy, offline, no token; stderr kept."""

    def __init__(self, binary, root, extra=(), policy=None):
        env = dict(os.environ, POSTLINT_DATA_DIR=os.path.join(root, "rules"), POSTLINT_OFFLINE="1")
        env.pop("POSTLINT_TOKEN", None)
        self.proc = subprocess.Popen(
            [binary, "serve", "--policy", policy or os.path.join(root, "rules/default.yaml"),
             "--port", "0", *extra], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        STARTED.append(self.proc)
        self.lines = []
        self.port = None
        started = threading.Event()

        def read():
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace")
                self.lines.append(line)
                if self.port is None and '"listening"' in line:
                    self.port = json.loads(line)["port"]
                    started.set()
            started.set()

        threading.Thread(target=read, daemon=True).start()
        if not started.wait(15) or self.port is None:
            self.kill()
            raise AssertionError("server did not start: " + "".join(self.lines)[-2000:])

    def connect(self, timeout=5.0):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def log_entries(self):
        """The JSON lines of the log (lines that are not JSON are returned as a string)."""
        out = []
        for line in list(self.lines):
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append(line)
        return out

    def status(self, field):
        """A VmRSS/VmHWM figure of the server, in MB."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
        raise AssertionError(f"no {field} in /proc/{self.proc.pid}/status")

    def terminate(self, timeout):
        """SIGTERM; the seconds until the process exited, or None if it did not in `timeout`."""
        start = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
            return time.monotonic() - start
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Reader:
    """Reads HTTP/1.1 responses off a socket, one after another (pipelining)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _more(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("connection closed")
        self.buf += data

    def response(self):
        """(status, headers with lower-case names, body); EOFError when the server closed."""
        while b"\r\n\r\n" not in self.buf:
            self._more()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if status == 100:
            return self.response()
        length = int(headers.get("content-length", "0"))
        while len(self.buf) < length:
            self._more()
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body

    def closed(self, timeout=3.0):
        """True when the server closes the connection without sending anything more."""
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return not self.buf
                self.buf += data
        except ConnectionResetError:
            return not self.buf
        except socket.timeout:
            return False


def request_bytes(method, path, body=b"", headers=()):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *headers]
    if body or method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def post_check(server, body, timeout=10.0):
    """POST /v1/check on a new connection: (status, parsed JSON body or raw bytes)."""
    with server.connect(timeout) as s:
        s.sendall(request_bytes("POST", "/v1/check", body if isinstance(body, bytes)
                                else json.dumps(body).encode()))
        status, _, data = Reader(s).response()
    try:
        return status, json.loads(data)
    except ValueError:
        return status, data


def send_and_read(server, raw, timeout=10.0):
    """Sends `raw` (the rest, if the server answers and closes first, is dropped) and reads one
    response: (status, body), or (None, error) when the connection ended without one."""
    with server.connect(timeout) as s:
        def send():
            try:
                s.sendall(raw)
            except OSError:
                pass  # the server answered early and stopped reading: what it should do
        t = threading.Thread(target=send, daemon=True)
        t.start()
        try:
            status, _, body = Reader(s).response()
        except (EOFError, OSError) as e:
            return None, repr(e)
        t.join(timeout)
        return status, body


def alive(server):
    try:
        with server.connect(2) as s:
            s.sendall(request_bytes("GET", "/healthz"))
            return Reader(s).response()[0] == 200
    except (OSError, EOFError, ValueError):
        return False


# --- the attacks --------------------------------------------------------------------------------

def slowloris(binary, root):
    """64 connections send a header line a second; a normal check still answers in under
    100 ms, and SIGTERM ends the process within the grace + 1 s while they are open."""
    server = Server(binary, root, ("--no-access-log",))
    socks = []
    for i in range(64):
        s = server.connect()
        s.sendall(b"POST /v1/check HTTP/1.1\r\n")
        socks.append(s)
    stop = threading.Event()

    def drip():
        n = 0
        while not stop.wait(1.0):
            n += 1
            for s in socks:
                try:
                    s.sendall(f"X-Slow-{n}: {n}\r\n".encode())
                except OSError:
                    pass

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        time.sleep(1.2)
        body = json.dumps({"text": "Launch day! #AcmeLaunch", "network": "x"}).encode()
        times = []
        for _ in range(5):
            start = time.monotonic()
            try:
                with server.connect(2) as s:
                    s.sendall(request_bytes("POST", "/v1/check", body))
                    status = Reader(s).response()[0]
                times.append((time.monotonic() - start) * 1000)
                assert status == 200, f"the normal check answered {status}"
            except (OSError, EOFError):
                times.append(float("inf"))
            if times[-1] < LIMIT_MS:
                break
            time.sleep(0.1)
        shown = ", ".join("no answer in 2 s" if t == float("inf") else f"{t:.1f} ms" for t in times)
        problems = []
        if min(times) >= LIMIT_MS:
            problems.append(f"with 64 slowloris connections open a normal POST /v1/check took "
                            f"{shown} (limit {LIMIT_MS} ms)")
        waited = server.terminate(GRACE_S + 1)
        if waited is None:
            problems.append(f"SIGTERM with 64 slowloris connections open: the process was still "
                            f"running after {GRACE_S + 1} s (grace {GRACE_S} s)")
        assert not problems, "; ".join(problems)
        return f"normal check {shown}; SIGTERM exit in {waited:.2f} s"
    finally:
        stop.set()
        for s in socks:
            s.close()
        server.kill()


def chunked_body(binary, root):
    """A chunked body past --max-body (1 MiB) is refused with 413, and memory does not follow
    what the client sends; so is one chunk that announces more than the limit."""
    server = Server(binary, root, ("--no-access-log",))
    try:
        hwm0 = server.status("VmHWM")
        chunk = b"a" * 65536
        body = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 512 + b"0\r\n\r\n"  # 32 MiB
        head = (b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n")
        status, answer = send_and_read(server, head + body, timeout=20)
        assert status == 413, f"32 MiB chunked body: expected 413, got {status} {answer!r:.200}"
        assert b'"body_too_large"' in answer, f"32 MiB chunked body: {answer!r:.200}"
        status, answer = send_and_read(server, head + b"7fffffff\r\n" + chunk)
        assert status == 413, f"a 2 GiB chunk announced: expected 413, got {status} {answer!r:.200}"
        growth = server.status("VmHWM") - hwm0
        assert growth < 24, f"peak RSS grew {growth:.1f} MB reading a 32 MiB chunked body"
        assert alive(server), "server not answering after the chunked bodies"
        return f"413 both; peak RSS +{growth:.1f} MB for a 32 MiB chunked body"
    finally:
        server.kill()


def many_headers(binary, root):
    """200 header fields, and one 20 KiB header field: 431 each."""
    server = Server(binary, root, ("--no-access-log",))
    try:
        fields = [f"X-Field-{i}: value" for i in range(200)]
        status, answer = send_and_read(server, request_bytes("GET", "/healthz", headers=fields))
        assert status == 431, f"200 header fields: expected 431, got {status} {answer!r:.200}"
        assert b'"headers_too_large"' in answer, f"200 header fields: {answer!r:.200}"
        status, answer = send_and_read(
            server, request_bytes("GET", "/healthz", headers=["X-Big: " + "b" * 20480]))
        assert status == 431, f"a 20 KiB header field: expected 431, got {status} {answer!r:.200}"
        assert alive(server), "server not answering after the large headers"
        return "431 both"
    finally:
        server.kill()


def big_posts_memory(binary, root):
    """1,000 checks of a 900 KB post with the default policy, 2 connections at once (one per
    core of the CI machine: the checks are CPU-bound, more would only queue): the peak RSS
    stays under 200 MB. What each request allocates must go back once it is answered, on
    whichever worker thread served it."""
    server = Server(binary, root, ("--no-access-log",))
    try:
        words = ("Launch day! Our new blender ships today, order now and save. Café crème "
                 "für alle, 10% off #AcmeLaunch ").split(" ")
        text, i = [], 0
        size = 0
        while size < 900_000:
            w = words[i % len(words)]
            text.append(w)
            size += len(w.encode()) + 1
            i += 1
        body = json.dumps({"text": " ".join(text), "network": "x"}, ensure_ascii=False).encode()
        req = request_bytes("POST", "/v1/check", body)
        rss0 = server.status("VmRSS")
        total, conns = 1000, 2
        counter = iter(range(total))
        lock = threading.Lock()
        errors, latencies = [], []

        def client():
            try:
                s = server.connect(60)
                r = Reader(s)
                while True:
                    with lock:
                        if next(counter, None) is None:
                            break
                    start = time.monotonic()
                    s.sendall(req)
                    status, headers, _ = r.response()
                    latencies.append(time.monotonic() - start)
                    if status != 200:
                        errors.append(status)
                    if headers.get("connection", "").lower() == "close":
                        s.close()  # the server may end a keep-alive connection; a new one
                        s = server.connect(60)
                        r = Reader(s)
                s.close()
            except (OSError, EOFError) as e:
                errors.append(repr(e))

        started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(conns)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        wall = time.monotonic() - started
        hwm, rss = server.status("VmHWM"), server.status("VmRSS")
        assert not errors, f"{len(errors)} of {total} requests failed: {errors[:5]}"
        latencies.sort()
        figures = (f"{total} x {len(body) / 1000:.0f} KB in {wall:.1f} s, p50 "
                   f"{latencies[len(latencies) // 2] * 1000:.0f} ms; VmHWM {hwm:.1f} MB, "
                   f"VmRSS {rss0:.1f} MB at the start, {rss:.1f} MB at the end")
        assert hwm < 200, f"peak RSS {hwm:.1f} MB, over 200 MB ({figures})"
        return figures
    finally:
        server.kill()


def forged_metrics(binary, root):
    """A path with a newline and metric-like text is a 404; /metrics shows no forged line and
    unknown paths add no series."""
    server = Server(binary, root)
    try:
        forged = "postlint_requests_total{path=\"/v1/check\",code=\"200\"} 987654321"
        encoded = "".join(c if c.isalnum() or c in "_/" else "%%%02X" % ord(c)
                          for c in "/\n" + forged + "\n")
        with server.connect() as s:
            s.sendall(request_bytes("GET", encoded))
            status = Reader(s).response()[0]
        assert status == 404, f"GET {encoded}: expected 404, got {status}"
        # The same text unencoded: not a valid request line, so never a route either.
        status, _ = send_and_read(server, ("GET /\n" + forged + "\n HTTP/1.1\r\nHost: x\r\n\r\n")
                                  .encode())
        assert status in (None, 400, 404), f"raw newline in the path: got {status}"
        for i in range(50):
            with server.connect() as s:
                s.sendall(request_bytes("GET", f"/unknown-{i}"))
                Reader(s).response()
        with server.connect() as s:
            s.sendall(request_bytes("GET", "/metrics"))
            status, _, text = Reader(s).response()
        text = text.decode()
        assert status == 200, f"/metrics answered {status}"
        assert "987654321" not in text, "a forged line reached /metrics:\n" + text
        paths = {line.split('path="')[1].split('"')[0] for line in text.splitlines()
                 if line.startswith("postlint_requests_total{")}
        allowed = {"/v1/check", "/v1/policies", "/healthz", "/readyz", "/metrics", "other"}
        assert paths <= allowed, f"unknown paths added series: {sorted(paths - allowed)}"
        time.sleep(0.2)
        for entry in server.log_entries():
            assert isinstance(entry, dict), f"a log line that is not one JSON object: {entry!r}"
            assert "987654321" not in json.dumps(entry), f"forged text in the access log: {entry}"
        return f"404; series paths {sorted(paths)}"
    finally:
        server.kill()


def huge_numbers(binary, root):
    """Numbers beyond a double or an integer are a 400, never a 500 or a crash."""
    server = Server(binary, root, ("--no-access-log",))
    try:
        bodies = ['{"text": "hi", "id": 1e999999}', '{"text": "hi", "id": 99999999999999999999999}',
                  '{"text": "hi", "labels": {"n": 1e999999}}', '{"text": 1e999999}',
                  '{"posts": [{"text": "hi", "labels": {"n": -1e999999}}]}', '1e999999',
                  '{"text": "hi", "id": -99999999999999999999999}']
        seen = []
        for body in bodies:
            status, answer = post_check(server, body.encode())
            seen.append(status)
            assert status == 400, f"{body}: expected 400, got {status} {answer!r:.300}"
        assert alive(server), "server not answering after the huge numbers"
        return f"{len(bodies)} bodies, all 400"
    finally:
        server.kill()


def pipelined(binary, root):
    """Two requests in one write: both answered, in order."""
    server = Server(binary, root, ("--no-access-log",))
    try:
        body = json.dumps({"text": "Launch day!", "network": "x"}).encode()
        with server.connect() as s:
            s.sendall(request_bytes("POST", "/v1/check", body) + request_bytes("GET", "/healthz"))
            r = Reader(s)
            try:
                first = r.response()
                second = r.response()
            except (EOFError, socket.timeout) as e:
                raise AssertionError(f"pipelined requests: an answer is missing ({e!r})")
        assert first[0] == 200 and b'"verdict"' in first[2], f"first answer: {first!r:.300}"
        assert second[0] == 200 and b'"ok"' in second[2], f"second answer: {second!r:.300}"
        return "both answered in order"
    finally:
        server.kill()


def framing(binary, root):
    """Two Content-Lengths that disagree, Content-Length with Transfer-Encoding, and codings
    other than chunked are a 400, and nothing after them is read as a request (smuggling)."""
    server = Server(binary, root, ("--no-access-log",))
    try:
        smuggled = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        cases = {
            "two Content-Lengths": [b"Content-Length: 2", b"Content-Length: 40"],
            "Content-Length + Transfer-Encoding":
                [b"Content-Length: 5", b"Transfer-Encoding: chunked"],
            "Transfer-Encoding + Content-Length":
                [b"Transfer-Encoding: chunked", b"Content-Length: 5"],
            "Transfer-Encoding: gzip": [b"Transfer-Encoding: gzip"],
            "Transfer-Encoding: gzip, chunked": [b"Transfer-Encoding: gzip, chunked"],
        }
        for name, fields in cases.items():
            raw = (b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                   b"\r\n".join(fields) + b"\r\n\r\n0\r\n\r\n" + smuggled)
            with server.connect() as s:
                s.sendall(raw)
                r = Reader(s)
                try:
                    status = r.response()[0]
                except EOFError:
                    status = None
                assert status == 400, f"{name}: expected 400, got {status}"
                assert r.closed(), f"{name}: more was answered after the 400 (a smuggled request)"
        return f"{len(cases)} framings, 400 and closed"
    finally:
        server.kill()


def rejected_duration(binary, root):
    """Requests the transport rejects before routing are in the access log with a plausible
    duration_ms: 431 after 300 ms of sending, 408 after a 1 s --read-timeout."""
    server = Server(binary, root, ("--read-timeout", "1"))
    try:
        with server.connect() as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\n")
            time.sleep(0.3)
            s.sendall(b"".join(b"X-Field-%d: v\r\n" % i for i in range(200)) + b"\r\n")
            status = Reader(s).response()[0]
        assert status == 431, f"200 header fields sent after 300 ms: expected 431, got {status}"
        with server.connect() as s:
            s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            closed = Reader(s).closed(timeout=4)
        assert closed, "a request stalled past --read-timeout 1 was not closed"
        time.sleep(0.3)
        entries = [e for e in server.log_entries() if isinstance(e, dict) and "status" in e]
        got = {}
        for status, low, high in ((431, 250, 3000), (408, 900, 3000)):
            line = next((e for e in entries if e["status"] == status), None)
            assert line is not None, f"no access log line with status {status}: {entries}"
            ms = line.get("duration_ms")
            assert isinstance(ms, (int, float)) and low <= ms <= high, (
                f"status {status}: duration_ms {ms}, expected {low}..{high} ms: {line}")
            got[status] = ms
        return f"431 logged at {got[431]} ms, 408 at {got[408]} ms"
    finally:
        server.kill()


def deep_nesting(binary, root):
    """JSON nested 520,000 deep (just under 1 MiB), and 200-deep objects: 400, and fast."""
    server = Server(binary, root, ("--no-access-log",))
    try:
        n = 520_000
        bodies = {
            "arrays in a label": b'{"text": "hi", "labels": {"a": ' + b"[" * n + b"]" * n + b"}}",
            "bare arrays": b"[" * n + b"]" * n,
            "objects 200 deep": b'{"text": "hi", "labels": ' + b'{"a": ' * 200 + b"1" +
                                b"}" * 200 + b"}",
        }
        figures = []
        for name, body in bodies.items():
            start = time.monotonic()
            try:
                status, answer = post_check(server, body)
            except (OSError, EOFError) as e:
                time.sleep(0.2)
                code = server.proc.poll()
                status, answer = None, repr(e) + (f", the server died (exit status {code})"
                                                  if code is not None else "")
            took = time.monotonic() - start
            assert status == 400, f"{name}: expected 400, got {status} {answer!r:.300}"
            assert took < 2, f"{name}: took {took:.2f} s"
            figures.append(f"{took * 1000:.0f} ms")
            assert alive(server), f"server not answering after {name}"
        return "400 each (" + ", ".join(figures) + ")"
    finally:
        server.kill()


ATTACKS = [("slowloris", slowloris), ("chunked_body", chunked_body),
           ("many_headers", many_headers), ("forged_metrics", forged_metrics),
           ("huge_numbers", huge_numbers), ("pipelined", pipelined), ("framing", framing),
           ("rejected_duration", rejected_duration), ("deep_nesting", deep_nesting)]
MEMORY = [("big_posts_memory", big_posts_memory)]


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__)
        return 2
    binary, root = args[0], args[1]
    attacks = MEMORY if "--memory" in args else ATTACKS
    if "--only" in args:
        wanted = args[args.index("--only") + 1].split(",")
        attacks = [(n, f) for n, f in ATTACKS + MEMORY if n in wanted]
    failed = []
    suite_start = time.monotonic()
    try:
        for name, attack in attacks:
            start = time.monotonic()
            try:
                detail = attack(binary, root)
                print(f"PASS {name} ({time.monotonic() - start:.1f} s): {detail}", flush=True)
            except AssertionError as e:
                failed.append(name)
                print(f"FAIL {name} ({time.monotonic() - start:.1f} s): {e}", flush=True)
    finally:
        for proc in STARTED:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    print(f"{len(attacks) - len(failed)} of {len(attacks)} attacks withstood in "
          f"{time.monotonic() - suite_start:.1f} s" + (f"; failed: {', '.join(failed)}"
                                                       if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
