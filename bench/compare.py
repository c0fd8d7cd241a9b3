#!/usr/bin/env python3
"""Two `weft bench --json` outputs side by side.

    python3 bench/compare.py A.json B.json [--a SPEC] [--b SPEC] [--csv]

Two files of one device each compare those two; otherwise devices are paired cpu with cpu, then
OpenCL devices in the order each file lists them. --a and --b pick one device of each file instead
(say A's GPU against B's GPU when their specs differ).
For every pair, one row per item: the median time per call on A and on B, their ratio B/A
(below 1: B is faster), and the achieved GB/s on each side where the item has a byte model.
Items are matched by name; an item or a device that only one file has is listed as missing.
Standard library only.
"""
import argparse
import csv
import json
import math
import signal
import sys


def fail(msg):
    print("compare.py: " + msg, file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (path, e))
    if not isinstance(doc, dict) or not isinstance(doc.get("devices"), list):
        fail("%s: not a weft bench --json output (no 'devices' list)" % path)
    for i, d in enumerate(doc["devices"]):
        if not isinstance(d, dict) or "spec" not in d or not isinstance(d.get("items"), list):
            fail("%s: devices[%d] lacks 'spec' or 'items'" % (path, i))
    return doc


def find(doc, spec, path):
    for d in doc["devices"]:
        if d["spec"] == spec:
            return d
    fail("%s: no device '%s' (it has %s)" % (path, spec, ", ".join(d["spec"] for d in doc["devices"])))


def pairs(a, b):
    """One device each: those two. Else cpu with cpu, then OpenCL devices in order; the rest unpaired."""
    if len(a["devices"]) == 1 and len(b["devices"]) == 1:
        return [(a["devices"][0], b["devices"][0])], [], []
    def split(doc):
        cpu = [d for d in doc["devices"] if d.get("backend") == "cpu"]
        other = [d for d in doc["devices"] if d.get("backend") != "cpu"]
        return cpu, other

    out, only_a, only_b = [], [], []
    for xa, xb in zip(split(a), split(b)):
        n = min(len(xa), len(xb))
        out += list(zip(xa[:n], xb[:n]))
        only_a += xa[n:]
        only_b += xb[n:]
    return out, only_a, only_b


def label(doc, d):
    host = doc.get("machine", {}).get("hostname", "?")
    return "%s %s (%s)" % (host, d["spec"], d.get("name", "?"))


def num(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


def fmt_time(s):
    if s is None:
        return "-"
    if s < 1e-3:
        return "%.1f us" % (s * 1e6)
    if s < 1:
        return "%.2f ms" % (s * 1e3)
    return "%.3f s" % s


def fmt(v, spec="%.2f"):
    return "-" if v is None else spec % v


def rows_for(da, db):
    """(item, a_median, b_median, ratio, a_gbs, b_gbs, note) in A's order, then B's extra items."""
    ia = {it["name"]: it for it in da["items"]}
    ib = {it["name"]: it for it in db["items"]}
    names = [it["name"] for it in da["items"]] + [it["name"] for it in db["items"] if it["name"] not in ia]
    out = []
    for name in names:
        a, b = ia.get(name), ib.get(name)
        ma = num(a.get("median_s")) if a else None
        mb = num(b.get("median_s")) if b else None
        ratio = mb / ma if ma and mb is not None else None
        note = "missing in B" if b is None else "missing in A" if a is None else ""
        out.append((name, ma, mb, ratio, num(a.get("gbs")) if a else None, num(b.get("gbs")) if b else None, note))
    return out


def print_table(a, b, da, db, rows):
    print("A: %s, copy %s GB/s" % (label(a, da), fmt(num(da.get("copy_gbs")))))
    print("B: %s, copy %s GB/s" % (label(b, db), fmt(num(db.get("copy_gbs")))))
    head = ("item", "A median", "B median", "B/A", "A GB/s", "B GB/s", "")
    print("%-16s %11s %11s %7s %8s %8s  %s" % head)
    for name, ma, mb, ratio, ga, gb, note in rows:
        print("%-16s %11s %11s %7s %8s %8s  %s" % (name, fmt_time(ma), fmt_time(mb), fmt(ratio, "%.3f"),
                                                   fmt(ga), fmt(gb), note))
    print()


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under `| head`
    ap = argparse.ArgumentParser(description="Compare two weft bench --json outputs.")
    ap.add_argument("a", metavar="A.json")
    ap.add_argument("b", metavar="B.json")
    ap.add_argument("--a", dest="spec_a", metavar="SPEC", help="the device of A to compare (with --b)")
    ap.add_argument("--b", dest="spec_b", metavar="SPEC", help="the device of B to compare (with --a)")
    ap.add_argument("--csv", action="store_true", help="CSV rows instead of tables")
    args = ap.parse_args()
    if (args.spec_a is None) != (args.spec_b is None):
        fail("--a and --b go together")
    a, b = load(args.a), load(args.b)
    sa, sb = a.get("suite", {}).get("size"), b.get("suite", {}).get("size")
    if sa != sb:
        print("compare.py: warning: A ran the %s suite, B the %s suite: the problems differ" % (sa, sb),
              file=sys.stderr)
    if args.spec_a:
        matched, only_a, only_b = [(find(a, args.spec_a, args.a), find(b, args.spec_b, args.b))], [], []
    else:
        matched, only_a, only_b = pairs(a, b)
    if args.csv:
        w = csv.writer(sys.stdout)
        w.writerow(["a_host", "a_device", "a_name", "b_host", "b_device", "b_name", "item", "a_median_s",
                    "b_median_s", "ratio_b_over_a", "a_gbs", "b_gbs", "note"])
        for da, db in matched:
            for name, ma, mb, ratio, ga, gb, note in rows_for(da, db):
                w.writerow([a.get("machine", {}).get("hostname", ""), da["spec"], da.get("name", ""),
                            b.get("machine", {}).get("hostname", ""), db["spec"], db.get("name", ""), name,
                            "" if ma is None else ma, "" if mb is None else mb, "" if ratio is None else ratio,
                            "" if ga is None else ga, "" if gb is None else gb, note])
    else:
        for da, db in matched:
            print_table(a, b, da, db, rows_for(da, db))
    for d in only_a:
        print("only in A: %s (no partner in B)" % label(a, d), file=sys.stdout if not args.csv else sys.stderr)
    for d in only_b:
        print("only in B: %s (no partner in A)" % label(b, d), file=sys.stdout if not args.csv else sys.stderr)
    if not matched:
        fail("no device to compare: A has %s, B has %s" % ([d["spec"] for d in a["devices"]],
                                                            [d["spec"] for d in b["devices"]]))


if __name__ == "__main__":
    main()
