#!/usr/bin/env python3
"""What makes a .wasm big: code bytes per function, summed by crate, from the name section
(use the file before wasm-opt strips names: target/front/wasm32-unknown-unknown/wasm-release/
frontend.wasm). Also the data section. Usage: scripts/bench/wasm_top.py FILE [TOP]"""
import re
import sys
from collections import Counter


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def crate_of(name):
    """The crate of a legacy-mangled Rust symbol: `_ZN3app5pages…` → app; a trait impl
    `_ZN175_$LT$app..order_admin..X$u20$as$u20$serde…` → app (the type's crate)."""
    m = re.match(r"_ZN(\d+)", name)
    if not m:
        return name.split("::")[0][:40] or "?"
    n, start = int(m.group(1)), m.end()
    first = name[start : start + n]
    if first.startswith("_$LT$"):
        first = first[5:]
        first = re.sub(r"^(\$RF\$|mut\$u20\$|\$u5b\$)+", "", first)
    return re.split(r"\.\.|\$", first)[0] or "?"


def main():
    data = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    i, imports, bodies, names, sections = 8, 0, [], {}, Counter()
    while i < len(data):
        sid = data[i]
        size, j = leb(data, i + 1)
        end = j + size
        if sid == 2:  # imports: function imports shift the function index space
            n, k = leb(data, j)
            for _ in range(n):
                for _ in range(2):
                    ln, k = leb(data, k)
                    k += ln
                kind = data[k]
                k += 1
                if kind == 0:
                    _, k = leb(data, k)
                    imports += 1
                elif kind == 1:
                    k += 1
                    flags, k = leb(data, k)
                    _, k = leb(data, k)
                    if flags & 1:
                        _, k = leb(data, k)
                elif kind == 2:
                    flags, k = leb(data, k)
                    _, k = leb(data, k)
                    if flags & 1:
                        _, k = leb(data, k)
                elif kind == 3:
                    k += 2
        elif sid == 10:
            n, k = leb(data, j)
            for _ in range(n):
                sz, k2 = leb(data, k)
                bodies.append(sz + (k2 - k))
                k = k2 + sz
        elif sid == 0:
            ln, k = leb(data, j)
            if data[k : k + ln] == b"name":
                k += ln
                while k < end:
                    sub = data[k]
                    ssz, k = leb(data, k + 1)
                    if sub == 1:
                        n, m = leb(data, k)
                        for _ in range(n):
                            idx, m = leb(data, m)
                            nl, m = leb(data, m)
                            names[idx] = data[m : m + nl].decode("utf-8", "replace")
                            m += nl
                    k += ssz
        sections[{0: "custom", 10: "code", 11: "data"}.get(sid, f"s{sid}")] += size
        i = end
    print(f"{len(data):>10} B file; sections: " + ", ".join(f"{k} {v}" for k, v in sections.most_common()))
    by_crate, by_fn = Counter(), Counter()
    for n, sz in enumerate(bodies):
        name = names.get(n + imports, f"func{n + imports}")
        by_fn[name] += sz
        by_crate[crate_of(name)] += sz
    total = sum(bodies)
    print(f"\ncode by crate (first path segment; generic code counts where it was instantiated), {total} B:")
    for c, sz in by_crate.most_common(top):
        print(f"  {sz:>9} B {100 * sz / total:5.1f} %  {c}")
    print(f"\nlargest functions:")
    for f, sz in by_fn.most_common(top):
        print(f"  {sz:>9} B  {f[:150]}")


main()
