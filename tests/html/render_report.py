#!/ usr / bin / env python3
"""Renders postlint's HTML audit report in headless Chromium and checks it.

    render_report.py POSTLINT_BINARY SOURCE_ROOT [SCREENSHOT.png]

1. Runs `postlint audit` on fixtures/audit/posts.jsonl twice: --format html and
   --format summary-json.
2. Loads the HTML in headless Chromium (Debian's `chromium`), with console logging on, and
   fails on any console error or uncaught exception.
3. Reads the DOM Chromium produced (after the page's script ran) and checks the summary cards
   and the number of table rows against the JSON summary, and that no secret from the input
   appears in the page.
4. Optionally saves a screenshot.
Exits 77 (ctest "skipped") when no Chromium is installed.
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = {}
        self.rows = 0
        self._capture = None
        self._in_tbody = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self._capture = attrs["id"]
            self.ids[self._capture] = ""
        if tag == "tbody":
            self._in_tbody = True
        if tag == "tr" and self._in_tbody:
            self.rows += 1

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_tbody = False
        self._capture = None

    def handle_data(self, data):
        if self._capture:
            self.ids[self._capture] += data


def main():
    binary, root = sys.argv[1], sys.argv[2]
    screenshot = sys.argv[3] if len(sys.argv) > 3 else None
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("SKIP: chromium is not installed")
        return 77
    posts = os.path.join(root, "fixtures/audit/posts.jsonl")
    policy = os.path.join(root, "fixtures/audit/policy.yaml")
    secrets = [l.strip() for l in open(os.path.join(root, "fixtures/audit/secrets.txt")) if l.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "report.html")
        run = lambda fmt, out: subprocess.run(
            [binary, "audit", "--policy", policy, "--format", fmt, "-o", out, posts],
            env=dict(os.environ, POSTLINT_DATA_DIR=os.path.join(root, "rules")))
        run("html", page)
        summary_path = os.path.join(tmp, "summary.json")
        run("summary-json", summary_path)
        summary = json.load(open(summary_path))
        raw = open(page, encoding="utf-8").read()
        for s in secrets:
            assert s not in raw, f"secret {s!r} appears in the HTML report"
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={tmp}/profile", "--enable-logging=stderr",
                "--v=0", "--virtual-time-budget=2000"]
        dump = subprocess.run(args + ["--dump-dom", "file://" + page], capture_output=True,
                              text=True, timeout=120)
        console = [l for l in dump.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
        errors = [l for l in console if "ERROR" in l.upper() or "Uncaught" in l]
        assert not errors, "console errors:\n" + "\n".join(errors)
        dom = Dom()
        dom.feed(dump.stdout)
        assert dom.ids.get("posts", "").strip() == str(summary["posts"]), (dom.ids, summary)
        for verdict, count in summary["verdicts"].items():
            got = dom.ids.get(f"verdict-{verdict}", "").strip()
            assert got == str(count), f"{verdict}: page says {got}, summary says {count}"
        total = sum(summary["findings"].values())
        assert dom.ids.get("findings", "").strip() == str(total)
        unreadable = summary["verdicts"]["error"]
        assert dom.rows == total + unreadable, f"{dom.rows} rows for {total} findings"
#The page's script ran: it fills the "shown" counter.
        assert dom.ids.get("shown", "").startswith(f"{dom.rows} of {dom.rows}"), dom.ids.get("shown")
        if screenshot:
            subprocess.run(args + [f"--screenshot={screenshot}", "--window-size=1280,1600",
                                   "file://" + page], capture_output=True, timeout=120)
    print(f"HTML report OK: {summary['posts']} posts, {total} findings, {dom.rows} rows, "
          "no console errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
