#!/usr/bin/env python3
"""bench/lp: weft's PDHG (cpu backend and OpenCL) against HiGHS (its default solver and its PDLP)
on the netlib LPs, side by side in one run, at the same relative tolerances.

Reports per instance and as shifted geometric means (shift 10 for iterations, 1 s for time):
iterations and time to each tolerance, time per iteration, and for weft the bytes its fused
iteration moves against the machine's measured copy bandwidth.

Usage: bench/lp/run.py [--tols 1e-4,1e-8] [--devices cpu,cl:cpu] [--time-limit 120]
                       [--instances afiro,25fv47] [--out bench/results/lp.json]
HiGHS comes from PyPI into bench/.venv (created on first use); the engine never depends on it.
"""
import argparse, json, math, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NETLIB = os.path.join(ROOT, "..", "shared", "datasets", "netlib")
VENV = os.path.join(ROOT, "bench", ".venv")
HIGHS_VERSION = "1.16.0"


def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    try:
        subprocess.check_call([py, "-c", "import highspy, numpy"], stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        subprocess.check_call([py, "-m", "pip", "install", "-q", "highspy==" + HIGHS_VERSION, "numpy"])
    return py


HIGHS_SCRIPT = r"""
import highspy, json, sys, time
path, solver, tol, tlim = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
h = highspy.Highs(); h.setOptionValue("output_flag", False)
h.readModel(path)
h.setOptionValue("solver", solver); h.setOptionValue("time_limit", tlim)
h.setOptionValue("threads", 2)
if solver == "pdlp":
    h.setOptionValue("pdlp_optimality_tolerance", tol)
t = time.perf_counter(); h.run(); t = time.perf_counter() - t
info = h.getInfo()
it = info.pdlp_iteration_count if solver == "pdlp" else info.simplex_iteration_count + info.ipm_iteration_count
print(json.dumps({"status": h.modelStatusToString(h.getModelStatus()), "objective": info.objective_function_value,
                  "iterations": it, "time_s": t, "version": h.version()}))
"""


def run_highs(py, path, solver, tol, tlim):
    out = subprocess.run([py, "-c", HIGHS_SCRIPT, path, solver, str(tol), str(tlim)],
                         capture_output=True, text=True, timeout=tlim + 60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_weft(weft, path, device, tol, tlim):
    out = subprocess.run([weft, "lp", path, "--tol", str(tol), "--device", device, "--json", "-q",
                          "--time-limit", str(tlim)], capture_output=True, text=True, timeout=tlim + 60)
    return json.loads(out.stdout)


def copy_bandwidth(py):
    """Median of 5 copies of a 256 MiB array (read + write), bytes/s."""
    code = ("import numpy as np, time\n"
            "a = np.ones(32 * 2**20); b = np.empty_like(a); r = []\n"
            "for _ in range(5):\n    t = time.perf_counter(); np.copyto(b, a); r.append(time.perf_counter() - t)\n"
            "r.sort(); print(2 * a.nbytes / r[2])")
    return float(subprocess.check_output([py, "-c", code]).decode().strip())


def bytes_per_iteration(rows, cols, nnz):
    """What the three fused kernels of one weft iteration read and write, at the least: A and A'
    once each (value + column index per nonzero, one row pointer per row), 14 vectors of n and 12
    of m doubles (backend.h's pdhg_primal, pdhg_dual, pdhg_adjoint)."""
    return 2 * (12 * nnz) + 4 * (rows + cols) + 8 * (14 * cols + 12 * rows)


def shifted_geomean(vals, shift):
    vals = [v for v in vals if v is not None and math.isfinite(v)]
    if not vals:
        return float("nan")
    return math.exp(sum(math.log(v + shift) for v in vals) / len(vals)) - shift


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tols", default="1e-4,1e-8")
    ap.add_argument("--devices", default="cpu,cl:cpu")
    ap.add_argument("--time-limit", type=float, default=120)
    ap.add_argument("--instances", default="")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "lp.json"))
    ap.add_argument("--weft", default=os.path.join(ROOT, "build", "weft"))
    a = ap.parse_args()
    py = ensure_venv()
    bw = copy_bandwidth(py)
    refs = {}
    with open(os.path.join(NETLIB, "netlib_optimal_values.csv")) as f:
        next(f)
        for line in f:
            name, rows, cols, nnz = line.split(",")[:4]
            refs[name] = (int(rows) - 1, int(cols), int(nnz))
    names = a.instances.split(",") if a.instances else list(refs)
    tols = [float(t) for t in a.tols.split(",")]
    devices = a.devices.split(",")
    rows_out = []
    for tol in tols:
        for name in names:
            path = os.path.join(NETLIB, name + ".mps")
            m, n, nnz = refs[name]
            rec = {"instance": name, "tol": tol, "bytes_per_iter": bytes_per_iteration(m, n, nnz)}
            for dev in devices:
                rec["weft:" + dev] = run_weft(a.weft, path, dev, tol, a.time_limit)
            w = rec["weft:" + devices[0]]
            if "solved_nonzeros" in w:  # weft iterates on the presolved problem
                rec["bytes_per_iter"] = bytes_per_iteration(w["solved_rows"], w["solved_cols"], w["solved_nonzeros"])
            rec["highs:pdlp"] = run_highs(py, path, "pdlp", tol, a.time_limit)
            rec["highs:default"] = run_highs(py, path, "choose", tol, a.time_limit)
            rows_out.append(rec)
            w = rec["weft:" + devices[0]]
            h = rec["highs:pdlp"]
            print(f"{name:9s} tol {tol:.0e}  weft {w['status']:10s} {w['iterations']:8d} it {w['time_s']:7.2f}s  "
                  f"highs-pdlp {h['status']:18s} {h['iterations']:8d} it {h['time_s']:7.2f}s  "
                  f"highs {rec['highs:default']['time_s']:6.2f}s", flush=True)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"copy_bandwidth_Bps": bw, "devices": devices, "highs_version": HIGHS_VERSION,
                   "rows": rows_out}, f, indent=1)
    summarize(rows_out, devices, bw)


def ok(r):
    return r["status"] in ("optimal", "Optimal")


def summarize(rows, devices, bw):
    print(f"\nmeasured copy bandwidth: {bw / 1e9:.1f} GB/s")
    for tol in sorted({r["tol"] for r in rows}):
        sel = [r for r in rows if r["tol"] == tol]
        print(f"\n| tol {tol:.0e} | solved | SGM iterations | SGM time (s) | SGM time/iter (us) |")
        print("|---|---|---|---|---|")
        for key in ["weft:" + d for d in devices] + ["highs:pdlp", "highs:default"]:
            solved = [r for r in sel if ok(r[key])]
            it = shifted_geomean([r[key]["iterations"] for r in solved], 10)
            tm = shifted_geomean([r[key]["time_s"] for r in solved], 1)
            tpi = shifted_geomean([1e6 * r[key]["time_s"] / max(1, r[key]["iterations"]) for r in solved], 1)
            print(f"| {key} | {len(solved)}/{len(sel)} | {it:.0f} | {tm:.3f} | {tpi:.1f} |")
        both = [r for r in sel if ok(r["weft:" + devices[0]]) and ok(r["highs:pdlp"])]
        if both:
            ratio = shifted_geomean([r["weft:" + devices[0]]["iterations"] / max(1, r["highs:pdlp"]["iterations"])
                                     for r in both], 0)
            frac = shifted_geomean([r["bytes_per_iter"] * r["weft:" + devices[0]]["iterations"] /
                                    r["weft:" + devices[0]]["time_s"] / bw for r in both
                                    if r["weft:" + devices[0]]["time_s"] > 0], 0)
            more = [r["instance"] for r in both
                    if r["weft:" + devices[0]]["iterations"] > r["highs:pdlp"]["iterations"]]
            # three decimals: whether the mean ratio is above or below 1 is the target, and 1.00 hides it
            print(f"weft/{devices[0]} vs HiGHS PDLP on the {len(both)} both solved: iteration ratio (geomean) "
                  f"{ratio:.3f}; weft moves {100 * frac:.0f}% of copy bandwidth (geomean)")
            print(f"weft takes more iterations on {len(more)}: {', '.join(more)}")


if __name__ == "__main__":
    main()
