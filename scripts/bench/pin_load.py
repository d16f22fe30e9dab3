#!/usr/bin/env python3
"""Load tool for the PIN request (POST /api/recovery/request), standard library only.

    python3 scripts/bench/pin_load.py BASE_URL [--concurrency 50] [--requests 1000]

N worker threads, each with its own keep-alive connection (http.client), send the request
form until the total is reached; half the requests use a known お客様ID with its registered
number (10000050, sms, 090-5555-0150), half an unknown one (99999999), as an attacker
enumerating IDs would. Prints p50/p95/p99 latency, requests per second and the status codes;
exits 1 if any answer is not 200 with a /contact/pin/ redirect.

The server allows DAIKO_PIN_CLIENT_LIMIT requests per client address per hour (default 30):
start it with a limit above --requests (scripts/bench-pin.sh does).
"""
import argparse
import http.client
import statistics
import sys
import threading
import time
import urllib.parse

KNOWN = ("10000050", "sms", "090-5555-0150")
UNKNOWN = ("99999999", "sms", "090-5555-0150")


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    k = max(1, -(-len(sorted_values) * p // 100))  # ceil
    return sorted_values[int(k) - 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base_url", help="e.g. http://127.0.0.1:3000")
    ap.add_argument("--concurrency", "-c", type=int, default=50)
    ap.add_argument("--requests", "-n", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=20, help="unmeasured requests first")
    ap.add_argument("--timeout", type=float, default=30.0)
    args = ap.parse_args()

    url = urllib.parse.urlsplit(args.base_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        ap.error("base_url must be http://host:port or https://host:port")
    conn_class = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    port = url.port or (443 if url.scheme == "https" else 80)
    path = url.path.rstrip("/") + "/api/recovery/request"
    bodies = [
        urllib.parse.urlencode(
            {"customer_code": c, "channel": ch, "destination": d}
        ).encode()
        for c, ch, d in (KNOWN, UNKNOWN)
    ]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    lock = threading.Lock()
    next_index = [0]
    latencies = []  # seconds
    statuses = {}
    failures = []

    def take(limit):
        with lock:
            i = next_index[0]
            if i >= limit:
                return None
            next_index[0] += 1
            return i

    def one(conn, body):
        conn.request("POST", path, body=body, headers=headers)
        res = conn.getresponse()
        res.read()
        return res.status, res.getheader("location") or ""

    def worker(limit, record):
        conn = conn_class(url.hostname, port, timeout=args.timeout)
        try:
            while True:
                i = take(limit)
                if i is None:
                    return
                body = bodies[i % 2]
                started = time.perf_counter()
                try:
                    status, location = one(conn, body)
                except (OSError, http.client.HTTPException) as e:
                    # A dropped keep-alive connection: reconnect once and count the retry.
                    conn.close()
                    conn = conn_class(url.hostname, port, timeout=args.timeout)
                    try:
                        status, location = one(conn, body)
                    except (OSError, http.client.HTTPException) as e2:
                        with lock:
                            failures.append(f"{type(e).__name__}/{type(e2).__name__}: {e2}")
                        continue
                elapsed = time.perf_counter() - started
                if not record:
                    continue
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1
                    if status != 200 or not location.startswith("/contact/pin/"):
                        failures.append(f"status {status}, location {location!r}")
        finally:
            conn.close()

    def run(total, record):
        next_index[0] = 0
        threads = [
            threading.Thread(target=worker, args=(total, record), daemon=True)
            for _ in range(args.concurrency)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started

    if args.warmup:
        run(args.warmup, False)
    wall = run(args.requests, True)

    ms = sorted(x * 1000 for x in latencies)
    print(
        f"POST {path} at {args.concurrency} concurrent, {len(ms)} requests "
        f"({args.base_url}, known/unknown お客様ID alternating)"
    )
    if ms:
        print(
            f"latency ms: p50 {percentile(ms, 50):.1f}  p95 {percentile(ms, 95):.1f}  "
            f"p99 {percentile(ms, 99):.1f}  mean {statistics.fmean(ms):.1f}  max {ms[-1]:.1f}"
        )
    print(f"throughput: {len(ms) / wall:.1f} req/s over {wall:.2f} s")
    print("status: " + ", ".join(f"{k}×{v}" for k, v in sorted(statuses.items())))
    if failures:
        print(f"FAILED: {len(failures)} bad answers, e.g. {failures[:3]}", file=sys.stderr)
        if 429 in statuses:
            print(
                "429: raise DAIKO_PIN_CLIENT_LIMIT on the server above --requests + --warmup",
                file=sys.stderr,
            )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
