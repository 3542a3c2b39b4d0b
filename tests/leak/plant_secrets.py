#!/usr/bin/env python3
"""Plants random, valid secrets in social media posts (issue 14, the leak test's input).

    plant_secrets.py --seed S --count N --out DIR

Writes, deterministically for a seed:

  DIR/posts.jsonl    N posts (id, text, network, account, created_at, optional media alt text
                     and sponsored), each carrying one planted secret and tripping the other
                     shipped rules around it: length (the secret at the end of a post over the
                     network's limit), hashtag count (the secret between the extra tags, or a
                     token written as a hashtag), unfinished-draft placeholders around the
                     secret, links whose query carries it, shorteners, profanity next to it, a
                     sponsored post without its label; some posts carry the secret only in
                     media alt text.
  DIR/broken.jsonl   valid lines mixed with unreadable ones that carry a secret (truncated
                     objects, bad escapes, wrong field types, unknown fields and networks).
  DIR/broken.csv     a CSV export (docs/exports.md columns) with valid rows and bad rows whose
                     cells carry a secret (too many fields, a bad date, a bad sponsored value,
                     an unknown network, a quote that never closes).
  DIR/drafts/*.md    a few of the posts as Markdown drafts with front matter (alt text too).
  DIR/requests.json  request bodies the HTTP service and the C API must refuse, each carrying
                     a secret (truncated JSON, a bad escape, unknown fields and networks...).
  DIR/secrets.json   every planted secret: {"kind", "detector", "value", "forms", "post",
                     "file", "where", "detectable", "written"}. `value` is what must never
                     leave postlint: the digits of a card, the characters of an IBAN (compact:
                     `written` is the form in the post, grouped or not), the random part of a
                     vendor token (after its fixed prefix), a JWT's payload and signature, a
                     key block's body, a password's value. `forms` lists the strings no run of
                     8 characters of which may appear in an output: the value, and each line
                     of a key body (the leak test reads grouped digits and capitals with
                     their separators removed). `detectable` is true for secrets
                     in the text of posts postlint reads, where a shipped detector must fire
                     on them; false (with `why`) for secrets in alt text (the detectors read
                     the text only), after the cue word 'passwort' (not one of the password
                     detector's words), and in unreadable records and requests.

Every secret is valid for its kind, as the shipped detectors (src/rules/support/detectors/)
check it: Luhn-valid Visa and Mastercard numbers outside the published test cards, mod-97
IBANs with registry lengths, GitHub classic tokens with their CRC32 check, JWTs whose header
and payload decode to JSON objects, key bodies of real base64 length, and values that none of
the placeholder tests (LooksLikePlaceholder) would take for an example. No two secrets share a
run of 8 characters (a JWT's claims are random too), so a leak names its secret.

Standard library only.
"""
import argparse
import base64
import binascii
import json
import os
import random
import string
import sys

NETWORKS = ["x", "bluesky", "linkedin", "instagram", "facebook"]
# The detector that must fire for each kind (the finding's `type`).
DETECTOR = {
    "card": "credit_card",
    "iban": "iban",
    "aws_access_key": "aws_access_key",
    "aws_secret_key": "aws_secret_key",
    "github_token": "github_token",
    "slack_token": "slack_token",
    "stripe_key": "stripe_key",
    "jwt": "jwt",
    "private_key": "private_key",
    "password": "password_assignment",
}
KINDS = list(DETECTOR)

ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
# Symbols for passwords: none is escaped by JSON, HTML, XML or CSV, none ends a URL query
# value, none is Markdown emphasis, none is trimmed by the detector.
PW_SYMBOLS = "!@^~"

JWT_HEADER = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()

# --- placeholder test, as src/rules/support/detectors/validators.cpp LooksLikePlaceholder ----

_MARKERS = ["example", "sample", "dummy", "placeholder", "your_", "your-", "yourtoken", "yourkey",
            "yourpass", "yoursecret", "redacted", "xxxx", "changeme", "change_me", "change-me",
            "insert_", "insert-", "<", ">", "${", "{{", "fake", "****", "_here", "-here",
            "goes_here", "notreal", "not-a-real", "not_a_real", "mysecret", "mypassword",
            "test", "sk_", "ghp", "akia", "xox", "john", "doe"]


def looks_like_placeholder(value):
    """True when a detector might take the value for an example (stricter than the product:
    a generated value that comes close is simply drawn again)."""
    lower = value.lower()
    if any(m in lower for m in _MARKERS):
        return True
    if len(lower) >= 8 and len(set(lower)) <= 4:
        return True
    run, in_runs = 1, 0
    for i in range(1, len(lower) + 1):
        if i < len(lower) and lower[i].isalnum() and ord(lower[i]) == ord(lower[i - 1]) + 1:
            run += 1
            continue
        if run >= 4:
            in_runs += run
        run = 1
    return in_runs > 0


WINDOW = 8  # the leak test's window: a run this long of a secret is a leak


def windows(secret):
    return {f[k:k + WINDOW] for f in secret["forms"] for k in range(len(f) - WINDOW + 1)}


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.taken = set()  # every window of every secret so far: no two secrets share one

    def s(self, alphabet, n):
        while True:
            v = "".join(self.r.choice(alphabet) for _ in range(n))
            if not looks_like_placeholder(v):
                return v

    # --- the secrets ---------------------------------------------------------------------------

    def card(self):
        test_cards = {"4242424242424242", "4111111111111111", "5555555555554444",
                      "5105105105105100", "5200828282828210", "4000056655665556",
                      "4012888888881881", "4917610000000000"}
        while True:
            prefix = self.r.choice(["4", "51", "52", "53", "54", "55"])
            body = prefix + "".join(self.r.choice(string.digits) for _ in range(15 - len(prefix)))
            digits = body + str(luhn_check_digit(body))
            if digits not in test_cards and not looks_like_placeholder(digits[4:12] + "qz"):
                break
        style = self.r.choice(["plain", "spaces", "dashes"])
        if style == "plain":
            written = digits
        else:
            sep = " " if style == "spaces" else "-"
            written = sep.join(digits[i:i + 4] for i in range(0, 16, 4))
        return {"kind": "card", "value": digits, "written": written, "forms": [digits]}

    def iban(self):
        country = self.r.choice(["LV", "IT", "DE", "HR"])
        if country == "LV":      # 4!a 13!c
            bban = self.s(string.ascii_uppercase, 4) + self.s(string.ascii_uppercase + string.digits, 13)
        elif country == "IT":    # 1!a 5!n 5!n 12!c
            bban = (self.r.choice(string.ascii_uppercase) + self.s(string.digits, 10) +
                    self.s(string.ascii_uppercase + string.digits, 12))
        elif country == "DE":    # 18!n
            bban = self.s(string.digits, 18)
        else:                    # HR 17!n
            bban = self.s(string.digits, 17)
        check = 98 - mod97(bban + country + "00")
        compact = f"{country}{check:02d}{bban}"
        assert mod97(compact[4:] + compact[:4]) == 1
        grouped = self.r.random() < 0.5
        written = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4)) if grouped else compact
        return {"kind": "iban", "value": compact, "written": written, "forms": [compact]}

    def aws_access_key(self):
        body = self.s(B32, 16)
        return {"kind": "aws_access_key", "value": body, "written": "AKIA" + body,
                "forms": [body]}

    def aws_secret_key(self):
        body = self.s(B64, 40)
        return {"kind": "aws_secret_key", "value": body,
                "written": "aws_secret_access_key=" + body, "forms": [body]}

    def github_token(self):
        body = self.s(ALNUM, 30)
        token = "ghp_" + body + base62_crc32(body)
        return {"kind": "github_token", "value": token[4:], "written": token,
                "forms": [token[4:]]}

    def slack_token(self):
        rest = (self.s(string.digits, self.r.randint(10, 13)) + "-" +
                self.s(string.digits, self.r.randint(10, 13)) + "-" + self.s(ALNUM, 24))
        return {"kind": "slack_token", "value": rest, "written": "xoxb-" + rest, "forms": [rest]}

    def stripe_key(self):
        body = self.s(ALNUM, 24)
        return {"kind": "stripe_key", "value": body, "written": "sk_live_" + body,
                "forms": [body]}

    def jwt(self):
        # Random keys and values only: a fixed claim ("iat", "sub") would put the same base64
        # run in every token, and a leak of one would read as a leak of all.
        claims = {self.s(string.ascii_letters, 6): self.s(ALNUM, 14),
                  self.s(string.ascii_letters, 5): self.s(ALNUM, 11)}
        payload = base64.urlsafe_b64encode(
            json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()
        signature = self.s(B64URL, 43)
        value = payload + "." + signature
        return {"kind": "jwt", "value": value, "written": JWT_HEADER + "." + value,
                "forms": [value]}

    def private_key(self):
        raw = bytes(self.r.getrandbits(8) for _ in range(self.r.choice([96, 144, 192])))
        body = base64.b64encode(raw).decode()
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        written = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----"
        return {"kind": "private_key", "value": body, "written": written,
                "forms": sorted({body, *lines})}

    def password(self, cue=None):
        n = self.r.randint(12, 18)
        while True:
            chars = [self.r.choice(string.ascii_letters)]
            chars += [self.r.choice(ALNUM + PW_SYMBOLS * 3) for _ in range(n - 3)]
            chars.insert(self.r.randint(1, len(chars)), self.r.choice(string.digits))
            chars.insert(self.r.randint(1, len(chars) - 1), self.r.choice(PW_SYMBOLS))
            value = "".join(chars)
            if not looks_like_placeholder(value) and value[-1] not in ".,;)]}":
                break
        cue = cue or self.r.choice(["password: ", "pwd=", "passwort: ", "Password = ",
                                    "wifi password is "])
        return {"kind": "password", "value": value, "written": cue + value, "forms": [value],
                "cue": cue.strip()}

    def secret(self, kind):
        while True:
            s = getattr(self, kind)()
            w = windows(s)
            if not w & self.taken:
                self.taken |= w
                return s


def luhn_check_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def mod97(s):
    return int("".join(str(int(c, 36)) for c in s)) % 97


def base62_crc32(body):
    crc = binascii.crc32(body.encode()) & 0xFFFFFFFF
    alphabet = string.digits + string.ascii_uppercase + string.ascii_lowercase
    out = ""
    for _ in range(6):
        out = alphabet[crc % 62] + out
        crc //= 62
    return out


# --- the posts ---------------------------------------------------------------------------------

FILLER = [
    "Big news from the Acme team this week: our spring collection lands in stores across the "
    "region, and we could not be prouder of the people who made it happen.",
    "We spent months listening to your feedback, testing fabrics and colours, and rethinking "
    "every seam so that the new range lasts longer and looks better.",
    "Join us on Saturday for the launch party downtown, with live music, coffee from our "
    "neighbours and a few surprises for everyone who stops by.",
    "Thank you to every customer who wrote to us this year; your stories shaped the whole "
    "collection, from the first sketch to the final stitch.",
    "Our designers travelled to three cities for inspiration and came back with more ideas "
    "than we could ever fit into a single season of products.",
    "Sustainability matters to us, so the new packaging is fully recyclable and the shipping "
    "boxes are made from paper that was already used at least once.",
]
HASHTAGS = ["launch", "spring", "style", "acme", "newin", "fashion", "design", "weekend",
            "sale", "summer", "shoplocal", "handmade", "musthave", "trend", "outfit", "look",
            "daily", "inspo", "team", "news", "fresh", "colour", "city", "coffee", "music",
            "party", "thanks", "love", "happy", "today", "makers", "studio", "craft", "goals"]
PROFANITY = ["shit", "fucking", "damn", "bullshit", "asshole"]
ACCOUNTS = ["@acme", "@acme_support", "@acme_it", "@acme_lv", "@acme_hr"]

# How each kind is introduced in a sentence (cards and IBANs need no number word nearby that
# says "not personal data": order, id, case, part, price...).
CUE = {
    "card": ["my card is", "card number", "carta", "kartes numurs", "broj kartice", "pay with"],
    "iban": ["IBAN", "bank account", "send it to", "konts", "IBAN:"],
    "aws_access_key": ["AWS key", "access key id", "deploy with"],
    "aws_secret_key": ["aws config:", "the bot uses", "creds:"],
    "github_token": ["token", "GitHub token", "CI uses"],
    "slack_token": ["Slack bot token", "bot token", "slack:"],
    "stripe_key": ["Stripe key", "billing key", "live key"],
    "jwt": ["session", "Bearer", "jwt"],
    "private_key": ["deploy key:", "the server key", "ssh key:"],
    "password": [""],
}

# Where the secret goes, and which kinds each placement can carry with the detector still
# seeing it (a card glued to '#' or '=' is no longer a card, by design).
ALL = set(KINDS)
TOKENS = {"aws_access_key", "github_token", "stripe_key", "slack_token"}
MODES = {
    "tail": ALL,            # last thing in a post over the network's length limit
    "hashtags": ALL,        # among the tags over the hashtag limit
    "hashtag_token": TOKENS,  # written as a hashtag: #ghp_...
    "placeholder": ALL - {"private_key"},  # [insert password: X], [add 4526 ...]
    "todo": ALL,            # TODO ... secret
    "url": {"github_token", "jwt", "password", "stripe_key", "aws_access_key"},
    "profanity": ALL,       # a swear word right before it
    "alt": ALL,             # only in media alt text
}


def filler(r, min_len):
    parts = []
    while sum(len(p) + 1 for p in parts) < min_len:
        parts.append(r.choice(FILLER))
    return " ".join(parts)


def tags(r, n):
    return " ".join("#" + r.choice(HASHTAGS) + str(r.randint(1, 99)) for _ in range(n))


def url_with(r, s):
    """A link whose query carries the secret, with click-ID junk (and maybe a shortener)."""
    host = r.choice(["https://example.com/a", "https://bit.ly/3Acme", "https://acme.example/p",
                     "https://shop.acme.example/launch"])
    junk = "gclid=" + "".join(r.choice(ALNUM) for _ in range(12))
    kind = s["kind"]
    if kind == "password":
        param = r.choice(["password", "access_token"])
        s["cue"] = param
        return f"{host}?{junk}&{param}={s['value']}"
    if kind == "jwt":
        return f"{host}?{junk}&sig={s['written']}"
    if kind == "aws_access_key":
        return f"{host}?{junk}&AWSAccessKeyId={s['written']}"
    return f"{host}?{junk}&token={s['written']}"


def secret_phrase(r, s):
    """The sentence that carries the secret."""
    kind = s["kind"]
    if kind == "password":
        return s["written"]
    cue = r.choice(CUE[kind])
    if kind == "private_key":
        return cue + "\n" + s["written"]
    return f"{cue} {s['written']}"


def make_post(g, i, kind):
    r = g.r
    s = g.secret(kind)
    modes = [m for m, kinds in MODES.items() if kind in kinds]
    mode = modes[(i // len(KINDS)) % len(modes)]
    network = r.choice(["x", "bluesky"] if mode == "tail" else NETWORKS)
    if mode == "hashtags" and r.random() < 0.5:
        network = "instagram"
    post = {"id": f"leak-{i:05d}", "network": network, "account": r.choice(ACCOUNTS),
            "created_at": f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T"
                          f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00Z"}
    swear = r.choice(PROFANITY)
    phrase = secret_phrase(r, s)
    link = f"https://bit.ly/{''.join(r.choice(ALNUM) for _ in range(7))}"
    where = "text"
    if mode == "tail":
        # Just under X's 280 (weighted: a link counts 23) or Bluesky's 300 before the secret,
        # so the part over the limit, which the length finding highlights, is the secret.
        limit = 280 if network == "x" else 300
        lead = f" {swear}, TODO {link} "
        units = len(lead) + (23 - len(link) if network == "x" else 0)
        text = filler(r, limit)[:limit - r.randint(1, 8) - units] + lead + phrase
    elif mode == "hashtags":
        limit = 30 if network == "instagram" else 3
        text = (f"{r.choice(FILLER)} {tags(r, limit)} #{swear} {phrase} "
                f"{tags(r, r.randint(2, 4))}")
    elif mode == "hashtag_token":
        text = f"{r.choice(FILLER)} {swear}! {link} {tags(r, 3)} #{s['written']} {tags(r, 2)}"
    elif mode == "placeholder":
        verb = r.choice(["insert", "add"])
        text = f"{r.choice(FILLER)} TODO [{verb} {phrase}] {swear} {link} #launch #spring #acme #news"
    elif mode == "todo":
        text = f"TODO remove before posting: {phrase} {swear} {tags(r, 4)} {link}\n{r.choice(FILLER)}"
    elif mode == "url":
        where = "url"
        text = f"{r.choice(FILLER)} {swear}, TODO read more {url_with(r, s)} {tags(r, 4)}"
    elif mode == "profanity":
        text = f"{r.choice(FILLER)} {tags(r, 4)} TODO {link} {swear} {phrase}"
    else:  # alt
        where = "alt"
        text = f"{r.choice(FILLER)} {swear} TODO {link} {tags(r, 4)}"
        if r.random() < 0.5 and kind != "private_key":
            phrase = f"[insert {phrase}]"  # an unfinished alt text
        post["media"] = [{"alt_text": f"Screenshot of the admin page, {phrase}"}]
    if mode != "alt" and r.random() < 0.3:
        post["media"] = [{"alt_text": f"Our spring collection {swear} TODO"}]
    # Sponsored, without the ad label: the disclosure rule fires on the whole post.
    if r.random() < 0.4:
        post["sponsored"] = True
    post["text"] = text
    s.update({"post": post["id"], "where": where, "mode": mode, "network": network})
    return post, s


def broken_jsonl(g, posts, secrets):
    """Valid records mixed with unreadable ones that carry a secret."""
    r = g.r
    lines = []
    n = 0

    def plant(kind, shape):
        nonlocal n
        n += 1
        s = g.secret(kind)
        s.update({"post": f"broken-{n:03d}", "where": shape, "mode": "broken",
                  "file": "broken.jsonl", "detectable": False})
        secrets.append(s)
        return s, s["written"]

    valid = iter(posts[:8])
    for rnd in range(2):
        lines.append(json.dumps(next(valid)))
        s, w = plant("card", "truncated object")
        lines.append('{"id": "' + s["post"] + '", "network": "x", "text": "my card is ' + w +
                     ' please charge it')
        lines.append(json.dumps(next(valid)))
        s, w = plant("password", "bad escape")
        lines.append('{"id": "' + s["post"] + '", "text": "login ' + w + ' \\q bad escape"}')
        s, w = plant("github_token", "bad escape after the secret")
        lines.append('{"id": "' + s["post"] + '", "text": "token ' + w + '\\x41"}')
        s, w = plant("stripe_key", "wrong type (sponsored)")
        lines.append(json.dumps({"id": s["post"], "text": "hello world", "sponsored": w}))
        lines.append(json.dumps(next(valid)))
        s, w = plant("slack_token", "unknown network")
        lines.append(json.dumps({"id": s["post"], "text": "hello world", "network": w}))
        s, w = plant("aws_access_key", "bad created_at")
        lines.append(json.dumps({"id": s["post"], "text": "hello world", "created_at": w}))
        s, w = plant("jwt", "unknown field")
        lines.append(json.dumps({"id": s["post"], "txt": "session " + w}))
        s, w = plant("iban", "text not a string")
        lines.append(json.dumps({"id": s["post"], "text": ["IBAN " + w]}))
        s, w = plant("aws_secret_key", "unknown field next to the secret")
        lines.append(json.dumps({"id": s["post"], "text": "creds " + w, "acount": "@acme"}))
        s, w = plant("password", "trailing garbage")
        lines.append(json.dumps({"id": s["post"], "text": "pwd=" + s["value"]}) + " garbage " + w)
        s, w = plant("card", "not an object")
        lines.append(json.dumps(["card", w]))
        s, w = plant("stripe_key", "unterminated string")
        lines.append('{"id": "' + s["post"] + '", "text": "key ' + w)
        lines.append(json.dumps(next(valid)))
    return "\n".join(lines) + "\n"


def broken_csv(g, posts, secrets):
    r = g.r
    header = ["id", "text", "network", "account", "created_at", "alt_text", "sponsored"]
    rows = [",".join(header)]
    n = 0

    def cell(v):
        return '"' + str(v).replace('"', '""') + '"'

    def row(p):
        alt = (p.get("media") or [{}])[0].get("alt_text", "")
        return ",".join(cell(v) for v in [p["id"], p["text"], p["network"], p["account"],
                                           p["created_at"], alt,
                                           "yes" if p.get("sponsored") else "no"])

    def plant(kind, shape):
        nonlocal n
        n += 1
        s = g.secret(kind)
        s.update({"post": f"csv-{n:03d}", "where": shape, "mode": "broken", "file": "broken.csv",
                  "detectable": False})
        secrets.append(s)
        return s, s["written"]

    for p in posts[8:16]:
        rows.append(row(p))
    s, w = plant("card", "too many fields (unquoted comma)")
    rows.append(f"{s['post']},my card is {w}, call me,x,@acme,2026-03-04T10:00:00Z,,no")
    rows.append(row(posts[16]))
    s, w = plant("aws_access_key", "bad date")
    rows.append(f"{s['post']},deploy today,x,@acme,{w},,no")
    s, w = plant("github_token", "bad sponsored value")
    rows.append(f"{s['post']},ship it,x,@acme,2026-03-04T10:00:00Z,,{w}")
    s, w = plant("slack_token", "unknown network")
    rows.append(f"{s['post']},hello,{w},@acme,2026-03-04T10:00:00Z,,no")
    s, w = plant("password", "too many fields (stray quote)")
    rows.append(f'{s["post"]},"login {w}" now,x,@acme,2026-03-04T10:00:00Z,,no,extra')
    rows.append(row(posts[17]))
    rows.append(row(posts[18]))
    # Last: a quote that never closes swallows the rest of the file.
    s, w = plant("iban", "quote never closes")
    rows.append(f'{s["post"]},"IBAN {w} and the rest of the file,x,@acme,2026-03-04T10:00:00Z,,no')
    rows.append("csv-tail,plain words after the open quote,x,@acme,2026-03-04T10:00:00Z,,no")
    return "\r\n".join(rows) + "\r\n"


def bad_requests(g, secrets):
    """Request bodies the HTTP service and the C API must refuse, each carrying a secret:
    [{"name", "body"}] with `body` the raw request text."""
    out = []

    def plant(kind, name):
        s = g.secret(kind)
        s.update({"post": f"request-{len(out) + 1:02d}", "where": name, "mode": "request",
                  "file": "requests.json", "detectable": False})
        secrets.append(s)
        return s["written"]

    w = plant("password", "invalid JSON (truncated)")
    out.append({"name": "truncated", "body": '{"text": "login ' + w + ' and then'})
    w = plant("card", "invalid JSON (bad escape)")
    out.append({"name": "bad-escape", "body": '{"text": "card ' + w + ' \\q", "network": "x"}'})
    w = plant("github_token", "unknown field")
    out.append({"name": "unknown-field", "body": json.dumps({"txt": "token " + w})})
    w = plant("stripe_key", "wrong type (sponsored)")
    out.append({"name": "wrong-type", "body": json.dumps({"text": "hello", "sponsored": w})})
    w = plant("slack_token", "unknown network")
    out.append({"name": "unknown-network", "body": json.dumps({"text": "hello", "network": w})})
    w = plant("aws_access_key", "bad created_at")
    out.append({"name": "bad-date", "body": json.dumps({"text": "hello", "created_at": w})})
    w = plant("jwt", "text not a string")
    out.append({"name": "text-not-string", "body": json.dumps({"text": {"session": w}})})
    w = plant("iban", "second post invalid")
    out.append({"name": "batch-one-invalid", "body": json.dumps(
        {"posts": [{"text": "fine"}, {"text": "IBAN " + w, "network": ["x", 7]}]})})
    return out


def draft(p):
    """A Markdown draft with front matter (YAML; JSON strings are valid YAML scalars)."""
    fm = [f"network: {p['network']}", f"account: {json.dumps(p['account'])}"]
    if p.get("sponsored"):
        fm.append("sponsored: true")
    if p.get("media"):
        fm.append("media:")
        for m in p["media"]:
            fm.append(f"  - alt_text: {json.dumps(m['alt_text'])}")
    return "---\n" + "\n".join(fm) + "\n---\n" + p["text"] + "\n"


def generate(seed, count, out):
    g = Gen(seed)
    os.makedirs(out, exist_ok=True)
    posts, secrets = [], []
    # The broken files borrow valid posts (the first 8 for broken.jsonl, the next 11 for
    # broken.csv): with fewer than 19, the rest are planted for them only.
    for i in range(max(count, 19)):
        post, s = make_post(g, i, KINDS[i % len(KINDS)])
        s.update({"file": "posts.jsonl" if i < count else
                  "broken.jsonl" if i < 8 else "broken.csv", "detectable": True})
        # Where the shipped detectors do not look, decided here and never from a run: they read
        # the post text only (not alt text), and know no German cue word for a password.
        if s["where"] == "alt":
            s.update({"detectable": False, "why": "the detectors do not read media alt text"})
        elif s.get("cue") == "passwort:":
            s.update({"detectable": False, "why": "'passwort' is not a password cue word"})
        posts.append(post)
        secrets.append(s)
    with open(os.path.join(out, "posts.jsonl"), "w", encoding="utf-8") as f:
        for p in posts[:count]:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    with open(os.path.join(out, "broken.jsonl"), "w", encoding="utf-8") as f:
        f.write(broken_jsonl(g, posts, secrets))
    with open(os.path.join(out, "broken.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(broken_csv(g, posts, secrets))
    with open(os.path.join(out, "requests.json"), "w", encoding="utf-8") as f:
        json.dump(bad_requests(g, secrets), f, indent=1)
    drafts = os.path.join(out, "drafts")
    os.makedirs(drafts, exist_ok=True)
    # One draft per placement mode (and kind), from the posts already planted.
    chosen, seen = [], set()
    for p, s in zip(posts[:count], secrets[:count]):
        key = s["mode"]
        if key not in seen and s["kind"] != "private_key":
            seen.add(key)
            chosen.append((p, s))
    for p, s in chosen:
        with open(os.path.join(drafts, p["id"] + ".md"), "w", encoding="utf-8") as f:
            f.write(draft(p))
        s.setdefault("drafts", []).append(p["id"] + ".md")
    for s in secrets:
        s["detector"] = DETECTOR[s["kind"]]
    with open(os.path.join(out, "secrets.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": seed, "count": count, "secrets": secrets}, f, indent=1)
    return posts[:count], secrets


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.count < 1:
        ap.error("--count must be at least 1")
    posts, secrets = generate(a.seed, a.count, a.out)
    print(f"{len(posts)} posts, {len(secrets)} secrets in {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
