#!/usr/bin/env python3
"""365 daily 24-period dispatches of a PGLib case with storage and solar: weft batch (K problems
advanced together) against the same engine one by one, and against HiGHS in a loop, side by side in
one run on the same machine.

    python3 bench/batch/run.py [--case 300] [--days 365] [--batch-size 32] [--tol 1e-4] [--device cpu]

The case is imported with `weft import matpower`, given storage, solar and a tie-line by
bench/dispatch.py's make_day (synthetic, labelled so), then `weft import scenarios --days N` draws N
daily load, solar and price profiles. The three runs:
  batched      weft batch --batch-size K            (warm starts across neighbouring days)
  one by one   weft batch --batch-size 1 --no-warm-start   (the same engine, one problem at a time)
  HiGHS        every scenario's LP from `weft batch --write-mps-dir DIR`, solved by highspy in a loop
               (its default solver; time of h.run() only, reading the files not counted)
Objectives are compared scenario by scenario. Uses bench/.venv (highspy, h5py, numpy).
"""
import argparse
import glob
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def dispatch_module():
    spec = importlib.util.spec_from_file_location("dispatch", os.path.join(ROOT, "bench", "dispatch.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def weft_batch(weft, scen, out, extra):
    cmd = [weft, "batch", scen, "-o", out, "--json", "-q"] + extra
    t = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, check=False)
    wall = time.time() - t
    if p.returncode not in (0, 1):
        sys.exit("weft batch failed (exit %d): %s" % (p.returncode, " ".join(cmd)))
    s = json.loads(p.stdout)
    s["wall_s"] = wall
    return s


def per_scenario(h5path):
    import h5py
    with h5py.File(h5path, "r") as f:
        b = f["batch"]
        return {"objective": b["objective"][:].tolist(), "iterations": b["iterations"][:].tolist(),
                "status": [s.decode() if isinstance(s, bytes) else str(s) for s in b["status"][:]]}


def highs_loop(dispatch, mps_dir, time_limit, sample):
    """HiGHS (bench/dispatch.py's runner) on every scenario, or on `sample` of them evenly spaced."""
    paths = sorted(glob.glob(os.path.join(mps_dir, "*.mps")))
    picks = range(len(paths)) if sample <= 0 or sample >= len(paths) else \
        sorted({round(i * (len(paths) - 1) / (sample - 1)) for i in range(sample)})
    runs = [dispatch.run_highs(paths[i], time_limit) for i in picks]
    return {"objective": [r["objective"] for r in runs], "time_s": [r["time_s"] for r in runs],
            "status": [r["status"] for r in runs], "index": list(picks),
            "version": runs[0]["version"] if runs else None}


def max_rel(a, b):
    return max(abs(x - y) / max(abs(y), 1.0) for x, y in zip(a, b))


def main():
    dispatch = dispatch_module()
    dispatch.ensure_venv()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weft", default=os.path.join(ROOT, "build", "weft"))
    ap.add_argument("--case", default="300")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-highs", action="store_true")
    ap.add_argument("--engines", default="all", help="all, parallel or blocked (the cold one-by-one run always)")
    ap.add_argument("--highs-sample", type=int, default=0,
                    help="HiGHS on this many evenly spaced scenarios only (0: all); its row says so")
    ap.add_argument("--json", help="also write the figures as JSON to this file")
    a = ap.parse_args()
    common = ["--tol", str(a.tol), "--device", a.device]
    rows = {}
    with tempfile.TemporaryDirectory() as work:
        path = glob.glob(os.path.join(ROOT, "..", "shared", "datasets", "pglib-opf", "pglib_opf_case%s_*.m" % a.case))[0]
        grid, day, scen = (os.path.join(work, n) for n in ("grid.h5", "day.h5", "scen.h5"))
        subprocess.check_call([a.weft, "import", "matpower", path, "-o", grid, "-q"])
        dispatch.make_day(grid, day, 24)
        subprocess.check_call([a.weft, "import", "scenarios", day, "--days", str(a.days), "--seed", str(a.seed),
                               "-o", scen, "-q"])
        runs = [("one by one (K=1, cold)", ["--batch-size", "1", "--no-warm-start"]),
                ("one by one (K=1, warm)", ["--batch-size", "1"]),
                ("batched K=%d, parallel" % a.batch_size, ["--batch-size", str(a.batch_size), "--batch-engine", "parallel"]),
                ("batched K=%d, blocked" % a.batch_size, ["--batch-size", str(a.batch_size), "--batch-engine", "blocked"])]
        runs = [r for r in runs if a.engines == "all" or r[0].startswith("one by one (K=1, cold)") or a.engines in r[0]]
        for name, extra in runs:
            out = os.path.join(work, "out_%d.h5" % len(rows))
            s = weft_batch(a.weft, scen, out, common + extra)
            print("%-24s %8.1f s  %s" % (name, s["wall_s"], s.get("status")), file=sys.stderr, flush=True)
            s["summary_status"] = s.get("status")
            s.update(per_scenario(out))
            rows[name] = s
        if not a.no_highs:
            mps_dir = os.path.join(work, "mps")
            os.mkdir(mps_dir)
            out = subprocess.run([a.weft, "batch", scen, "--write-mps-dir", mps_dir, "--json", "-q"],
                                 stdout=subprocess.PIPE, check=True)
            rows["HiGHS loop"] = highs_loop(dispatch, mps_dir, 600, a.highs_sample)
            rows["HiGHS loop"]["scale"] = json.loads(out.stdout)["objective_scale"]
            print("HiGHS loop %8.1f s" % sum(rows["HiGHS loop"]["time_s"]), file=sys.stderr, flush=True)
    base = rows["one by one (K=1, cold)"]
    highs = rows.get("HiGHS loop")
    scale = highs["scale"] if highs else 1.0
    print("| run | scenarios solved | wall time (s) | s / scenario | speed-up vs one by one (per scenario) | iterations (sum) | max rel. cost diff vs one by one | vs HiGHS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    per_base = base["wall_s"] / len(base["objective"])
    for name, s in rows.items():
        if name == "HiGHS loop":
            idx = s["index"]
            wall, n, it = sum(s["time_s"]), len(idx), "-"
            obj = [o * scale for o in s["objective"]]
            d_base = max_rel(obj, [base["objective"][i] for i in idx])
            d_highs = 0.0
        else:
            wall, n, it = s["wall_s"], len(s["objective"]), sum(s["iterations"])
            obj = s["objective"]
            d_base = max_rel(obj, base["objective"])
            d_highs = max_rel([obj[i] for i in highs["index"]], [o * scale for o in highs["objective"]]) if highs else float("nan")
        print("| %s | %d | %.1f | %.3f | %.2f | %s | %.1e | %.1e |" % (
            name, n, wall, wall / n, per_base / (wall / n), it, d_base, d_highs))
    if a.json:
        json.dump(rows, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
