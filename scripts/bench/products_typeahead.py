#!/usr/bin/env python3
"""Type-ahead latency: GET /api/orders/products?q=… against a running Daiko server whose
database holds the demo data plus synthetic products (`daiko demo-data --products 10000`).

Logs in as a demo user, then asks, one request at a time as a typing customer does, the
queries in QUERIES (kanji, hiragana, katakana, half-width kana, one and two characters, code
prefixes) round after round, and prints p50 / p95 / p99 / max per query kind and overall.
Usage: products_typeahead.py BASE_URL [ROUNDS]
"""
import http.cookiejar
import json
import statistics
import sys
import time
import urllib.parse
import urllib.request

QUERIES = {
    "kanji": ["浄水", "緑茶", "特選玄米", "業務用洗剤"],
    "hiragana": ["じょうすい", "りょくちゃ", "てんねん", "みそ"],
    "katakana": ["ジョウスイ", "ハチミツ", "トクセン", "ナンバー12"],
    "half-width": ["ｼﾞｮｳｽｲ", "ﾘｮｸﾁｬ", "ﾀｵﾙ"],
    "1-2 chars": ["茶", "み", "ミソ", "せ"],
    "code prefix": ["S-00", "s-0012", "A-1", "S-009999"],
    "no hit": ["ぬぬぬ", "Q-9"],
}


def main() -> None:
    base = sys.argv[1].rstrip("/")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = urllib.parse.urlencode({"email": "hansha@example.jp", "password": "daiko-demo-2026"})
    opener.open(urllib.request.Request(f"{base}/api/auth/login", data=form.encode()))
    by_kind: dict[str, list[float]] = {k: [] for k in QUERIES}
    hits: dict[str, int] = {}
    # Warm-up: one pass, not counted.
    for qs in QUERIES.values():
        for q in qs:
            opener.open(f"{base}/api/orders/products?q={urllib.parse.quote(q)}").read()
    for _ in range(rounds):
        for kind, qs in QUERIES.items():
            for q in qs:
                url = f"{base}/api/orders/products?q={urllib.parse.quote(q)}"
                t0 = time.perf_counter()
                body = opener.open(url).read()
                by_kind[kind].append((time.perf_counter() - t0) * 1000)
                hits[q] = len(json.loads(body))

    def line(name: str, xs: list[float]) -> str:
        xs = sorted(xs)
        pct = lambda p: xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
        return (f"{name:<12} n={len(xs):<5} p50={statistics.median(xs):6.2f} ms  "
                f"p95={pct(95):6.2f} ms  p99={pct(99):6.2f} ms  max={xs[-1]:6.2f} ms")

    for kind, xs in by_kind.items():
        print(line(kind, xs))
    everything = [x for xs in by_kind.values() for x in xs]
    print(line("ALL", everything))
    print("hits per query (max 20):", json.dumps(hits, ensure_ascii=False))
    p95 = sorted(everything)[int(round(0.95 * (len(everything) - 1)))]
    print(f"p95 {'OK' if p95 <= 20 else 'OVER'} (target ≤ 20 ms)")


if __name__ == "__main__":
    main()
