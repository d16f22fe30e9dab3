#!/usr/bin/env python3
"""Enumeration benchmark for お問い合わせ (issue #9): can a caller tell a real PIN challenge
from a decoy by what the server answers, how long it takes, or what the PIN page shows later?

    enumeration.py BASE_URL DB_FILE TWILIO_PORT AUTH_TOKEN PUBLIC_URL [--each 200] [--poll 120]

Runs against a server that uses a Twilio-compatible server on TWILIO_PORT (this script
serves it: it accepts Messages/Calls like Twilio's REST API and, a few seconds later, sends
the signed delivery report back to PUBLIC_URL/api/twilio/status) and real SMTP (the caller
starts aiosmtpd). DB_FILE is the server's SQLite file, read to find customers and phones.

For every channel (sms, voice, mail) it sends --each requests of each kind, interleaved at
random: unknown お客様ID / known ID + wrong destination / known ID + right destination, and
compares status, body, header names and the shape of the redirect. Then it polls the PIN
pages of a sample of each kind for --poll seconds after the reports came back and compares
what they show at each poll. Timing: the median difference (right − unknown, right − wrong)
with a bootstrap 95 % interval. Standard library only.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import random
import sqlite3
import statistics
import threading
import time
import urllib.parse

random.seed(9)


# --- a Twilio-compatible server on loopback --------------------------------------------

class FakeTwilio(http.server.BaseHTTPRequestHandler):
    token = ""
    public_url = ""
    report_after = 3.0
    count = 0
    lock = threading.Lock()

    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("content-length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(n).decode()))
        kind = "SM" if self.path.endswith("/Messages.json") else "CA"
        with FakeTwilio.lock:
            FakeTwilio.count += 1
            sid = kind + hashlib.md5(f"{time.time()}-{FakeTwilio.count}".encode()).hexdigest()
        body = json.dumps({"sid": sid, "status": "queued", "to": form.get("To"),
                           "from": form.get("From"), "api_version": "2010-04-01"}).encode()
        self.send_response(201)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        callback = form.get("StatusCallback")
        if callback:
            params = ({"MessageSid": sid, "MessageStatus": "delivered"} if kind == "SM"
                      else {"CallSid": sid, "CallStatus": "completed"})
            threading.Timer(FakeTwilio.report_after, report, (callback, params)).start()


def signature(token, url, params):
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def report(url, params):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    c.request("POST", u.path, urllib.parse.urlencode(params),
              {"content-type": "application/x-www-form-urlencoded",
               "x-twilio-signature": signature(FakeTwilio.token, url, params)})
    c.getresponse().read()
    c.close()


# --- the client ---------------------------------------------------------------------------

class Client:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port

    def request(self, method, path, form=None):
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        body = urllib.parse.urlencode(form) if form else None
        headers = {"content-type": "application/x-www-form-urlencoded"} if form else {}
        t0 = time.perf_counter()
        c.request(method, path, body, headers)
        r = c.getresponse()
        data = r.read()
        dt = time.perf_counter() - t0
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, hdrs, data, dt


def shape(status, hdrs, data):
    """What must be identical between kinds: status, header names, body, redirect shape."""
    loc = hdrs.get("location", "")
    return (status, tuple(sorted(k for k in hdrs if k not in ("date",))), data,
            loc.startswith("/contact/pin/"), len(loc))


def bootstrap_median_diff(a, b, n=2000):
    diffs = []
    for _ in range(n):
        ra = [random.choice(a) for _ in a]
        rb = [random.choice(b) for _ in b]
        diffs.append(statistics.median(ra) - statistics.median(rb))
    diffs.sort()
    return statistics.median(a) - statistics.median(b), diffs[int(0.025 * n)], diffs[int(0.975 * n)]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("db")
    p.add_argument("twilio_port", type=int)
    p.add_argument("token")
    p.add_argument("public_url")
    p.add_argument("--each", type=int, default=200)
    p.add_argument("--poll", type=int, default=120)
    a = p.parse_args()
    FakeTwilio.token, FakeTwilio.public_url = a.token, a.public_url
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.twilio_port), FakeTwilio)
    threading.Thread(target=srv.serve_forever, daemon=True).start()

    db = sqlite3.connect(a.db)
    # One customer per right-destination request: the per-phone cap (5 a day) would turn
    # later requests for one phone into decoys, which is not what is measured here.
    mobiles = db.execute("SELECT customer_code, phone FROM customers WHERE phone LIKE '070%' "
                         "OR phone LIKE '080%' OR phone LIKE '090%' ORDER BY id LIMIT ?",
                         (a.each * 2,)).fetchall()
    logins = db.execute("SELECT c.customer_code, l.email FROM logins l JOIN customers c "
                        "ON c.id = l.customer_id ORDER BY c.id").fetchall()
    if len(mobiles) < 2 * a.each or not logins:
        raise SystemExit(f"need {2 * a.each} customers with mobile numbers and some logins "
                         f"(found {len(mobiles)}, {len(logins)}): demo-data --customers N")
    client = Client(a.base)
    results = {}
    samples = {}
    worst = 0.0
    for channel in ("sms", "voice", "mail"):
        jobs = []
        for i in range(a.each):
            if channel == "mail":
                code, dest = logins[i % len(logins)]
                wrong = f"nobody{i}@example.jp"
            else:
                code, dest = mobiles[i + (a.each if channel == "voice" else 0)]
                wrong = "090" + f"{random.randrange(10**8):08d}"
            jobs += [("unknown", "9" + f"{random.randrange(10**7):07d}", dest),
                     ("wrong", code, wrong), ("right", code, dest)]
        random.shuffle(jobs)
        times = {"unknown": [], "wrong": [], "right": []}
        shapes = {"unknown": set(), "wrong": set(), "right": set()}
        ids = {"unknown": [], "wrong": [], "right": []}
        for kind, code, dest in jobs:
            st, hdrs, data, dt = client.request(
                "POST", "/api/recovery/request",
                {"customer_code": code, "channel": channel, "destination": dest})
            if st != 200:
                raise SystemExit(f"{channel} {kind}: HTTP {st} {data[:200]!r}")
            times[kind].append(dt * 1000)
            shapes[kind].add(shape(st, hdrs, data))
            ids[kind].append(hdrs["location"].rsplit("/", 1)[1])
        same = len(set().union(*shapes.values())) == 1
        results[channel] = (times, same)
        samples[channel] = {k: v[:5] for k, v in ids.items()}

    print("# Enumeration benchmark (お問い合わせ)")
    print(f"{a.each} requests per kind and channel, interleaved; times in ms over HTTP on loopback\n")
    print("| channel | answers identical | median unknown / wrong / right | right − unknown (95 % CI) | right − wrong (95 % CI) |")
    print("|---|---|---|---|---|")
    for channel, (t, same) in results.items():
        med = " / ".join(f"{statistics.median(t[k]):.2f}" for k in ("unknown", "wrong", "right"))
        d1 = bootstrap_median_diff(t["right"], t["unknown"])
        d2 = bootstrap_median_diff(t["right"], t["wrong"])
        for d in (d1, d2):
            if not (d[1] <= 0 <= d[2]):
                worst = max(worst, min(abs(d[1]), abs(d[2])))
        print(f"| {channel} | {'yes' if same else 'NO'} | {med} | "
              f"{d1[0]:+.3f} ({d1[1]:+.3f} … {d1[2]:+.3f}) | {d2[0]:+.3f} ({d2[1]:+.3f} … {d2[2]:+.3f}) |")

    # The PIN pages of a sample of each kind, polled once the worker has handed everything
    # over and Twilio's reports have come back (before that, a page's state depends on its
    # place in the queue, which is the order of requests, not whether they matched).
    time.sleep(FakeTwilio.report_after + 5)
    print(f"\nPIN pages polled every 2 s for {a.poll} s after the delivery reports (5 of each kind per channel):")
    differ = 0
    polls = 0
    end = time.time() + a.poll
    while time.time() < end:
        for channel, kinds in samples.items():
            seen = {}
            for kind, idlist in kinds.items():
                for pid in idlist:
                    st, hdrs, data, _ = client.request("GET", f"/api/recovery/status?id={pid}")
                    v = json.loads(data)
                    v.pop("deadline", None)
                    v.pop("resend_in", None)  # counts down with each page's own request time
                    seen.setdefault(kind, set()).add((st, json.dumps(v, sort_keys=True)))
            polls += 1
            if len(set().union(*seen.values())) != 1:
                differ += 1
                print(f"  {channel}: pages differ: {seen}")
        time.sleep(2)
    print(f"  {polls} polls, {differ} with a difference; Twilio calls answered: {FakeTwilio.count}")
    ok = all(same for _, same in results.values()) and differ == 0
    print(f"\nanswers and pages identical: {'yes' if ok else 'NO'}; "
          f"largest timing interval away from 0: {worst:.3f} ms (target: includes 0 or < 0.5 ms)")
    srv.shutdown()
    raise SystemExit(0 if ok and worst < 0.5 else 1)


if __name__ == "__main__":
    main()
