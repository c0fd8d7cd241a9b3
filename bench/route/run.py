#!/usr/bin/env python3
"""weft route against best-known values, PyVRP and OR-Tools, same instances, same time limits.

  python3 bench/route/run.py --weft build/weft                       # everything (hours)
  python3 bench/route/run.py --weft build/weft --x X-n101-k25,X-n200-k36 --solomon all --solomon-time 10
  python3 bench/route/run.py --solvers ortools --x X-n101-k25 --solomon ''

X instances run for n/100*12 s (n = customers), Solomon for --solomon-time s. The solvers named in
--solvers (default weft,pyvrp) run at the same time on one instance, each single-threaded: name no
more of them than there are free cores. PyVRP and OR-Tools come from bench/.venv (see
bench/README.md). Results: CSV under bench/results/, a markdown table on stdout with the gap to the
best-known value per instance and the mean per set.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "datasets")


def bks_table(path):
    with open(path) as f:
        return {r["instance"]: r for r in csv.DictReader(f)}


def run_weft(weft, path, kind, seconds, seed, tmpdir):
    h5 = os.path.join(tmpdir, os.path.basename(path) + ".h5")
    subprocess.run([weft, "import", "cvrplib" if kind == "x" else "solomon", path, "-o", h5, "-q"], check=True)
    p = subprocess.Popen([weft, "route", h5, "--time-limit", str(seconds), "--seed", str(seed), "--json", "-q"],
                         stdout=subprocess.PIPE, text=True)
    return p


def run_pyvrp(python, path, kind, seconds, seed):
    script = os.path.join(ROOT, "bench", "route", "pyvrp_run.py")
    return subprocess.Popen([python, script, path, kind, str(seconds), str(seed)], stdout=subprocess.PIPE, text=True)


def run_ortools(python, path, kind, seconds, seed):
    del seed  # OR-Tools' routing search has no seed
    script = os.path.join(ROOT, "bench", "route", "ortools_run.py")
    return subprocess.Popen([python, script, path, kind, str(seconds)], stdout=subprocess.PIPE, text=True)


LABELS = {"weft": "weft", "pyvrp": "PyVRP", "ortools": "OR-Tools"}


def finish(p):
    out, _ = p.communicate()
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"cost": None}


def gap(cost, bks):
    return None if cost is None else 100.0 * (cost - bks) / bks


def instances(args):
    jobs = []
    xb = bks_table(os.path.join(DATA, "cvrplib-x", "bks.csv"))
    xs = sorted(xb) if args.x == "all" else [s for s in args.x.split(",") if s]
    for name in xs:
        n = int(xb[name]["n"])
        jobs.append(("x", name, os.path.join(DATA, "cvrplib-x", name + ".vrp"), n / 100 * 12,
                     float(xb[name]["bks_value"])))
    sb = bks_table(os.path.join(DATA, "solomon", "bks.csv"))
    ss = sorted(sb) if args.solomon == "all" else [s for s in args.solomon.split(",") if s]
    for name in ss:
        jobs.append(("solomon", name, os.path.join(DATA, "solomon", name + ".txt"), args.solomon_time,
                     float(sb[name]["bks_value"])))
    return jobs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weft", default=os.path.join(ROOT, "build", "weft"))
    ap.add_argument("--x", default="all", help="comma-separated X instances, 'all' or ''")
    ap.add_argument("--solomon", default="all", help="comma-separated Solomon instances, 'all' or ''")
    ap.add_argument("--solomon-time", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--solvers", default="weft,pyvrp", help="comma-separated: weft, pyvrp, ortools")
    ap.add_argument("--python", default=os.path.join(ROOT, "bench", ".venv", "bin", "python"))
    args = ap.parse_args()

    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    out_csv = os.path.join(ROOT, "bench", "results", time.strftime("route_%Y%m%d_%H%M%S.csv"))
    solvers = [s for s in args.solvers.split(",") if s]
    if not solvers or any(s not in LABELS for s in solvers):
        ap.error(f"--solvers: name some of {', '.join(LABELS)}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, name, path, seconds, bks in instances(args):
            procs = {}
            for s in solvers:
                if s == "weft":
                    procs[s] = run_weft(args.weft, path, kind, seconds, args.seed, tmp)
                else:
                    launch = run_pyvrp if s == "pyvrp" else run_ortools
                    procs[s] = launch(args.python, path, kind, seconds, args.seed)
            row = {"set": kind, "instance": name, "time_limit_s": round(seconds, 2), "bks": bks}
            for s, p in procs.items():
                r = finish(p)
                cost = r.get("cost") if r.get("feasible") else None
                row.update({f"{s}_cost": cost, f"{s}_vehicles": r.get("vehicles"), f"{s}_gap_pct": gap(cost, bks)})
                if s != "weft":
                    row[f"{s}_version"] = r.get("version")
            rows.append(row)
            print(f"{kind:8s} {name:12s} {seconds:6.1f}s  bks {bks:10.1f}" +
                  "".join(f"  {s} {fmt(row[s + '_cost'])} ({fmt(row[s + '_gap_pct'], 2)}%)" for s in solvers),
                  file=sys.stderr, flush=True)
    with open(out_csv, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0]))
        wr.writeheader()
        wr.writerows(rows)
    print_table(rows, solvers)
    print(f"\nCSV: {os.path.relpath(out_csv, ROOT)}")


def fmt(v, digits=1):
    return "-" if v is None else f"{v:.{digits}f}"


def mean(vals):
    vals = [v for v in vals if v is not None]
    return sum(vals) / len(vals) if vals else None


def print_table(rows, solvers):
    print("| set | instance | limit (s) | BKS |" + "".join(f" {LABELS[s]} | gap % |" for s in solvers))
    print("|---|---|---:|---:|" + "---:|---:|" * len(solvers))
    for r in rows:
        print(f"| {r['set']} | {r['instance']} | {r['time_limit_s']} | {r['bks']:g} |" +
              "".join(f" {fmt(r[s + '_cost'])} | {fmt(r[s + '_gap_pct'], 2)} |" for s in solvers))
    for kind in ("x", "solomon"):
        sel = [r for r in rows if r["set"] == kind]
        if sel:
            print(f"| **{kind} mean** ({len(sel)}) | | | |" +
                  "".join(f" | **{fmt(mean(r[s + '_gap_pct'] for r in sel), 2)}** |" for s in solvers))


if __name__ == "__main__":
    main()
