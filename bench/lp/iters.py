#!/usr/bin/env python3
"""Iterations of weft's PDHG to given tolerances on a set of MPS files (cpu backend, one thread):
the hardware-independent measure used to tune the solver. Prints one line per instance and
tolerance, then per tolerance the total and the shifted geometric mean (shift 10). Files come from bench/lp/dcopf_set.sh (DC-OPF) and the netlib set.

Usage: bench/lp/iters.py [--tols 1e-4,1e-6] [--limit 400000] [--jobs 2] [--no-presolve] [--no-polish] FILE.mps...
"""
import argparse, json, math, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def solve(weft, path, tol, limit, extra):
    cmd = [weft, "lp", path, "--tol", str(tol), "--json", "--device", "cpu", "--threads", "1",
           "--iteration-limit", str(limit)] + extra
    env = dict(os.environ, OMP_NUM_THREADS="1", OMP_WAIT_POLICY="passive")
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, check=False)
    try:
        return json.loads(out.stdout)
    except ValueError:
        return {"status": "error %d" % out.returncode, "iterations": 0, "restarts": 0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tols", default="1e-4,1e-6")
    ap.add_argument("--limit", type=int, default=400000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--weft", default=os.path.join(ROOT, "build", "weft"))
    ap.add_argument("--no-presolve", action="store_true", help="solve the files as given")
    ap.add_argument("--no-polish", action="store_true", help="no feasibility polishing")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    tols = [float(t) for t in a.tols.split(",")]
    work = [(f, t) for f in a.files for t in tols]
    with ThreadPoolExecutor(a.jobs) as ex:
        extra = (["--no-presolve"] if a.no_presolve else []) + (["--no-polish"] if a.no_polish else [])
        res = list(ex.map(lambda w: solve(a.weft, w[0], w[1], a.limit, extra), work))
    total = {t: 0 for t in tols}
    logs = {t: 0.0 for t in tols}
    for (f, t), r in zip(work, res):
        total[t] += r["iterations"]
        logs[t] += math.log(r["iterations"] + 10)
        print("%-28s %6.0e %-18s %8d it %4d rst" % (os.path.basename(f)[:28], t, r["status"][:18],
                                                     r["iterations"], r["restarts"]))
    for t in tols:
        print("total %6.0e %d geomean %.0f" % (t, total[t], math.exp(logs[t] / len(a.files)) - 10))


if __name__ == "__main__":
    main()
