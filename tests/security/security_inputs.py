#!/usr/bin/env python3
"""Hostile inputs and hostile policies against the built binary (issue 15).

    security_inputs.py POSTLINT SOURCE_ROOT [--measure] [--timeout S]

Each attack is generated on the fly in a temporary directory and run through postlint; the
test checks the exit code, the message, the time and the peak resident memory of the process
(its VmHWM, from wait4()'s ru_maxrss). Attacks:

  zip-bomb        a ~1 MB zip whose data/tweets.js expands to 1 GB, audited beside a good draft
  zip-bomb-lying  the same, its headers saying the member holds 1,000 bytes
  csv-bomb        a zip whose Shares.csv, streamed rather than held, expands to 500 MiB
  deep-json       a post whose labels nest a million arrays deep
  dev-zero        /dev/zero given as an input file
  alias-policy    a policy that is a "billion laughs" (nine levels of nine aliases)
  alias-draft     the same in a draft's front matter
  extends-fanout  a policy extending 14 files, each extending all the ones after it
  big-pattern     a pattern rule with a 3 MB alternation
  outside-extends extends naming /etc/shadow and a secret file outside the policy's directory
  serve-reload    `postlint serve` reloading into the alias bomb, /etc/shadow and the big
                  pattern: each reload is refused and logged, the old policy keeps serving

--measure prints what each attack costs without checking anything (to measure the code
before the fix: run with a short --timeout, and the attacks that hang are killed). Standard
library only; every process runs with a 4 GiB address space limit so a regression cannot take
the machine down. A sanitizer build (ASan, TSan: found with ldd) reserves terabytes of address
space and runs several times slower and larger: there the limit is off and only exit codes and
messages are checked.
"""
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

MIB = 1 << 20
RSS_LIMIT_MB = 200
ADDRESS_SPACE_LIMIT = 4 << 30
SANITIZED = False  # set by main() for a sanitizer build


def sanitized(binary):
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        return False
    return "libasan" in out or "libtsan" in out


# ------------------------------------------------------------------------------------------
# Generators

def deflate_repeated(chunk, count):
    """Raw deflate of `chunk` repeated `count` times, built from one compressed copy: each copy
    ends with a full flush, so identical compressed blocks can be concatenated. Returns the
    compressed bytes, the CRC-32 and the size of the expansion."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    # An empty final block closes the stream.
    return block * count + b"\x03\x00", crc, len(chunk) * count


def write_zip(path, members):
    """A zip of (name, compressed, crc, size, method) members, written by hand so that a
    member of 1 GiB costs its compressed size to make, not its expansion."""
    with open(path, "wb") as out:
        central = b""
        for name, data, crc, size, method in members:
            offset = out.tell()
            encoded = name.encode()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc,
                                  len(data), size, len(encoded), 0) + encoded)
            out.write(data)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0,
                                   0x21, crc, len(data), size, len(encoded), 0, 0, 0, 0,
                                   0o100644 << 16, offset) + encoded
        start = out.tell()
        out.write(central)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                              len(central), start, 0))


def stored(name, data):
    return (name, data, zlib.crc32(data), len(data), 0)


def zip_bomb(path, member, head, chunk=b"a" * MIB, mib=950, declared=None):
    """`member` starts with `head` (as a deflate block of its own) and goes on with `mib` copies
    of the 1 MiB `chunk`: about 1 GB by default, under the 1 GiB that the old code refused by
    the member's declared size. `declared`: the size the headers claim (a lie), else the real
    one."""
    assert len(chunk) == MIB
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_block = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    body, _, body_size = deflate_repeated(chunk, mib)
    crc = zlib.crc32(head)
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    size = len(head) + body_size if declared is None else declared
    write_zip(path, [stored("Your archive.html", b"<html></html>"),
                     (member, head_block + body, crc, size, 8)])
    return os.path.getsize(path)


def billion_laughs(levels=9, width=9):
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        aliases = ", ".join(f"*l{i - 1}" for _ in range(width))
        lines.append(f"l{i}: &l{i} [{aliases}]")
    return lines


# ------------------------------------------------------------------------------------------
# Running

class Run:
    def __init__(self, code, out, err, seconds, rss_mb, killed):
        self.code, self.out, self.err = code, out, err
        self.seconds, self.rss_mb, self.killed = seconds, rss_mb, killed

    def text(self):
        return self.out + self.err


def limit():
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(binary, args, cwd, timeout, env=None):
    """Runs postlint; the peak resident set of the process comes from wait4()."""
    if callable(args):
        return args(binary, cwd, timeout, env)

    out_path = os.path.join(cwd, ".stdout")
    err_path = os.path.join(cwd, ".stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen([binary] + args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=err, preexec_fn=limit, env=env)
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.monotonic() - start > timeout:
                proc.kill()
                killed = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.monotonic() - start
        proc.returncode = 0  # reaped above; keep Popen from waiting again
    code = os.waitstatus_to_exitcode(status)
    with open(out_path, "rb") as f:
        stdout = f.read().decode("utf-8", "replace")
    with open(err_path, "rb") as f:
        stderr = f.read().decode("utf-8", "replace")
    return Run(code, stdout, stderr, seconds, usage.ru_maxrss / 1024, killed)


# ------------------------------------------------------------------------------------------
# Attacks: each prepares its files in `work` and returns (args, check), where check(run)
# returns a list of problems (empty: the attack was refused as it should be).

def expect(run, code, *phrases, rss_mb=RSS_LIMIT_MB, seconds=10, absent=()):
    problems = []
    if run.killed:
        problems.append(f"killed after {run.seconds:.1f} s")
    if run.code != code:
        problems.append(f"exit code {run.code}, expected {code}")
    text = run.text()
    for phrase in phrases:
        if phrase not in text:
            problems.append(f"output lacks {phrase!r}")
    for phrase in absent:
        if phrase in text:
            problems.append(f"output shows {phrase!r}")
    if run.rss_mb > rss_mb and not SANITIZED:
        problems.append(f"peak RSS {run.rss_mb:.0f} MB, limit {rss_mb} MB")
    if run.seconds > seconds and not SANITIZED:
        problems.append(f"took {run.seconds:.1f} s, limit {seconds} s")
    return problems


def zip_bomb_attack(work, declared):
    size = zip_bomb(os.path.join(work, "bomb.zip"), "data/tweets.js",
                    b"window.YTD.tweets.part0 = [\n", declared=declared)
    with open(os.path.join(work, "ok.md"), "w") as f:
        f.write("A fine post about our launch.\n")
    args = ["audit", "bomb.zip", "ok.md", "--format", "jsonl", "--offline", "--progress", "never"]

    def check(r):
        problems = expect(r, 2, "bomb.zip", "16 MiB")
        if '"ok.md"' not in r.out:
            problems.append("the other input was not checked")
        return problems
    says = "" if declared is None else f" (its headers say {declared:,} bytes)"
    return f"{size / 1024:.0f} KB zip, data/tweets.js 1 GB{says}", args, check


def attack_zip_bomb(work):
    return zip_bomb_attack(work, None)


def attack_zip_bomb_lying(work):
    # Only what the member holds can stop this one.
    return zip_bomb_attack(work, 1000)


def attack_csv_bomb(work):
    # Blank rows after the header: nothing to check, 500 MiB (under the member limit) to
    # decompress.
    size = zip_bomb(os.path.join(work, "shares.zip"), "Shares.csv",
                    b"Date,ShareLink,ShareCommentary\n", chunk=(b" " * 1023 + b"\n") * 1024,
                    mib=500)
    args = ["check", "shares.zip", "--offline"]
    return (f"{size / 1024:.0f} KB zip, Shares.csv 500 MiB (streamed)", args,
            lambda r: expect(r, 2, "shares.zip", "100 times"))


def attack_deep_json(work):
    depth = 1_000_000
    with open(os.path.join(work, "deep.json"), "w") as f:
        f.write('{"text": "hello", "labels": {"a": ' + "[" * depth + "]" * depth + "}}\n")
    return (f"JSON nested {depth:,} deep", ["check", "deep.json", "--offline"],
            lambda r: expect(r, 2, "deep.json", "256"))


def attack_dev_zero(work):
    return ("/dev/zero as an input file", ["check", "/dev/zero", "--offline"],
            lambda r: expect(r, 2, "/dev/zero", "character device", seconds=2))


def attack_alias_policy(work):
    # Anchors come before their aliases.
    with open(os.path.join(work, "lol.yaml"), "w") as f:
        f.write("name: lol\n" + "\n".join(billion_laughs()) + "\n")
        f.write("rules:\n  - {id: lol, kind: terms, banned: *l8}\n")
    return ("billion laughs policy (9^9 nodes)", ["policy", "validate", "lol.yaml"],
            lambda r: expect(r, 2, "lol.yaml", "200,000 nodes", seconds=2))


def attack_alias_draft(work):
    with open(os.path.join(work, "lol.md"), "w") as f:
        f.write("---\nlabels:\n  " + "\n  ".join(billion_laughs()) + "\n---\nHello\n")
    return ("billion laughs front matter", ["check", "lol.md", "--offline"],
            lambda r: expect(r, 2, "lol.md", "200,000 nodes", seconds=2))


def attack_extends_fanout(work):
    n = 14
    os.makedirs(os.path.join(work, "fan"))
    for i in range(1, n + 1):
        later = ", ".join(f"f{j}.yaml" for j in range(i + 1, n + 1))
        with open(os.path.join(work, "fan", f"f{i}.yaml"), "w") as f:
            f.write(f"name: f{i}\nextends: [{later}]\nrules:\n"
                    f"  - {{id: r{i}, kind: terms, banned: [word{i}]}}\n")
    with open(os.path.join(work, "fan", "root.yaml"), "w") as f:
        f.write("name: root\nextends: [networks, "
                + ", ".join(f"f{i}.yaml" for i in range(1, n + 1)) + "]\n")

    def check(r):
        problems = expect(r, 0, "is valid", seconds=3)
        loaded = r.out.count("  loaded ")
        if loaded != n + 2:
            problems.append(f"{loaded} files loaded, expected {n + 2}")
        return problems
    return (f"extends fan-out over {n} files", ["policy", "validate", "fan/root.yaml"], check)


def attack_big_pattern(work):
    words = [f"w{i:06d}x" for i in range(330_000)]
    pattern = "|".join(words)
    with open(os.path.join(work, "big.yaml"), "w") as f:
        f.write("name: big\nrules:\n  - id: big\n    kind: pattern\n    patterns:\n      - '"
                + pattern + "'\n")

    def check(r):
        problems = expect(r, 2, "big.yaml:6:9", "64 KiB", absent=[words[1000]], seconds=3)
        if len(r.text()) > 4096:
            problems.append(f"{len(r.text())} bytes of output")
        return problems
    return (f"{len(pattern) / MIB:.1f} MiB alternation", ["policy", "validate", "big.yaml"], check)


def shadow_lines():
    """The start of each line of /etc/shadow (user:hash:date) when it is readable (as root):
    none may ever be shown."""
    try:
        with open("/etc/shadow") as f:
            return [":".join(line.split(":")[:3]) for line in f if line.count(":") > 2]
    except OSError:
        return []


def attack_outside_extends(work):
    os.makedirs(os.path.join(work, "team"))
    os.makedirs(os.path.join(work, "private"))
    with open(os.path.join(work, "private", "keys.yaml"), "w") as f:
        f.write("SECRET-TOKEN-f00dfeed: 1\n")
    with open(os.path.join(work, "team", "p.yaml"), "w") as f:
        f.write('name: p\nextends: ["/etc/shadow", "../private/keys.yaml"]\n')
    shadow = shadow_lines()

    def check(r):
        problems = expect(r, 2, "team/p.yaml:2:11", "outside", "team/p.yaml:2:26", seconds=2,
                          absent=["SECRET-TOKEN"] + shadow[:20])
        if "/etc/shadow:" in r.text():
            problems.append("/etc/shadow was read (an error names a line of it)")
        return problems
    return ("extends /etc/shadow and ../private/keys.yaml", ["policy", "validate", "team/p.yaml"],
            check)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def vm_hwm_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def serve_reload(binary, work, timeout, env):
    """Starts `postlint serve`, then replaces its policy by each hostile one and sends SIGHUP:
    every reload must be refused and logged within 5 s while the old policy keeps serving."""
    policy = os.path.join(work, "team", "p.yaml")
    os.makedirs(os.path.dirname(policy))
    good = ("name: hook\nversion: '1'\nextends: [networks]\nrules:\n"
            "  - {id: no-todo, kind: pattern, level: error, patterns: ['TODO']}\n")
    with open(policy, "w") as f:
        f.write(good)
    hostile = [
        ("alias bomb", "name: lol\n" + "\n".join(billion_laughs())
         + "\nrules:\n  - {id: lol, kind: terms, banned: *l8}\n"),
        ("/etc/shadow", 'name: x\nextends: ["/etc/shadow"]\n'),
        ("3 MB pattern", "name: big\nrules:\n  - {id: big, kind: pattern, patterns: ['"
         + "|".join(f"w{i:06d}x" for i in range(330_000)) + "']}\n"),
    ]
    port = free_port()
    log_path = os.path.join(work, ".serve.log")
    notes = []
    start = time.monotonic()
    with open(log_path, "w+") as log:
        proc = subprocess.Popen(
            [binary, "serve", "--policy", policy, "--port", str(port), "--offline"],
            cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=log, preexec_fn=limit)

        def logs():
            with open(log_path) as f:
                return f.read()

        def check_todo():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("POST", "/v1/check", body=json.dumps({"text": "TODO", "network": "x"}),
                         headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            body = json.loads(r.read().decode())
            conn.close()
            return r.status, body.get("verdict")

        try:
            for _ in range(600 if SANITIZED else 100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            for label, text in hostile:
                before = logs().count("policy_reload_failed")
                with open(policy, "w") as f:
                    f.write(text)
                proc.send_signal(signal.SIGHUP)
                deadline = time.monotonic() + (30 if SANITIZED else 5)
                while time.monotonic() < deadline and logs().count("policy_reload_failed") == before:
                    time.sleep(0.05)
                if logs().count("policy_reload_failed") == before:
                    notes.append(f"{label}: no policy_reload_failed within 5 s")
                try:
                    status, verdict = check_todo()
                    if (status, verdict) != (200, "fail"):
                        notes.append(f"{label}: the old policy no longer serves ({status} {verdict})")
                except (OSError, ValueError) as e:
                    notes.append(f"{label}: /v1/check failed: {e}")
            rss = vm_hwm_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=10)
                killed = False
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
                killed = True
    return Run(code, logs(), "\n".join(notes), time.monotonic() - start, rss, killed)


def attack_serve_reload(work):
    shadow = shadow_lines()

    def check(r):
        problems = r.err.splitlines()
        if r.killed:
            problems.append("did not stop on SIGTERM")
        if r.rss_mb > RSS_LIMIT_MB and not SANITIZED:
            problems.append(f"peak RSS {r.rss_mb:.0f} MB, limit {RSS_LIMIT_MB} MB")
        for phrase in ["200,000 nodes", "is outside the directories", "64 KiB"]:
            if phrase not in r.out:
                problems.append(f"the log lacks {phrase!r}")
        if any(line in r.out for line in shadow[:20]) or len(r.out) > 100_000:
            problems.append(f"the log shows what it should not ({len(r.out)} bytes)")
        return problems
    return ("serve: reload into each hostile policy", serve_reload, check)


ATTACKS = [
    ("zip-bomb", attack_zip_bomb),
    ("zip-bomb-lying", attack_zip_bomb_lying),
    ("csv-bomb", attack_csv_bomb),
    ("deep-json", attack_deep_json),
    ("dev-zero", attack_dev_zero),
    ("alias-policy", attack_alias_policy),
    ("alias-draft", attack_alias_draft),
    ("extends-fanout", attack_extends_fanout),
    ("big-pattern", attack_big_pattern),
    ("outside-extends", attack_outside_extends),
    ("serve-reload", attack_serve_reload),
]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    measure = "--measure" in sys.argv
    timeout = 20.0
    if "--timeout" in sys.argv:
        timeout = float(sys.argv[sys.argv.index("--timeout") + 1])
        args = [a for a in args if a != sys.argv[sys.argv.index("--timeout") + 1]]
    only = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")]
    binary, root = os.path.abspath(args[0]), os.path.abspath(args[1])
    global SANITIZED
    SANITIZED = sanitized(binary)
    env = dict(os.environ)
    env.setdefault("POSTLINT_DATA_DIR", os.path.join(root, "rules"))
    env["POSTLINT_OFFLINE"] = "1"
    env.pop("POSTLINT_POLICY_PATH", None)
    failures = 0
    started = time.monotonic()
    for name, attack in ATTACKS:
        if only and name not in only:
            continue
        work = tempfile.mkdtemp(prefix=f"postlint-{name}-")
        try:
            made = time.monotonic()
            what, argv, check = attack(work)
            made = time.monotonic() - made
            r = run(binary, argv, work, timeout, env)
            first = (r.err.strip().splitlines() or r.out.strip().splitlines() or [""])[0][:160]
            status = "killed" if r.killed else f"exit {r.code}"
            figures = f"{status}, {r.seconds:.2f} s, peak RSS {r.rss_mb:.0f} MB"
            if measure:
                print(f"{name:16} {what}: {figures} (made in {made:.1f} s)\n{'':17}{first}")
                continue
            problems = check(r)
            print(f"{'FAIL' if problems else 'ok  '} {name:16} {what}: {figures}")
            for p in problems:
                print(f"       {p}")
            if problems:
                print("       output: " + r.text()[:600].replace("\n", "\n               "))
                failures += 1
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{time.monotonic() - started:.1f} s in all")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
