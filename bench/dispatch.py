#!/usr/bin/env python3
"""24-period DC-OPF with storage and solar on PGLib cases: weft on each device against HiGHS solving
the same model (exported by `weft dispatch --write-mps`), side by side.

    python3 bench/dispatch.py [--cases 2869 8387 2000] [--devices cpu cl:gpu] [--tol 1e-6] [--periods 24]
                              [--highs-solver choose|ipm|simplex|pdlp]

Each case is imported with `weft import matpower`, then given a day (make_day below, synthetic and
labelled so): loads follow a daily profile (0.62 .. 1.0 of the case's load), solar at the tenth of
buses with the largest load (20 % of peak load installed, a half-sine from 6 h to 18 h), a 4-hour
battery beside each solar unit (5 % of peak, efficiencies 0.95, half full at both ends) and a
tie-line at the reference bus (10 % of peak, priced 20 + 30 x profile). HiGHS runs with its default
choice of solver (the model is a QP when the case has quadratic costs), or the one named by
--highs-solver (ipm runs without crossover: weft returns no basis either). Uses bench/.venv (created by
validate_dcopf.py or here).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV_PY = os.path.join(HERE, ".venv", "bin", "python")

PROFILE = [0.70, 0.66, 0.64, 0.62, 0.63, 0.67, 0.75, 0.84, 0.91, 0.95, 0.97, 0.98,
           0.97, 0.96, 0.96, 0.97, 0.99, 1.00, 0.99, 0.96, 0.91, 0.85, 0.78, 0.73]


def ensure_venv():
    if os.path.realpath(sys.prefix) == os.path.realpath(os.path.join(HERE, ".venv")):
        return
    if not os.path.exists(VENV_PY):
        subprocess.check_call([sys.executable, "-m", "venv", os.path.join(HERE, ".venv")])
    subprocess.check_call([VENV_PY, "-m", "pip", "install", "-q", "numpy", "h5py", "highspy"])
    os.execv(VENV_PY, [VENV_PY] + sys.argv)


def column(g, path, data, units):
    d = g.create_dataset(path, data=data)
    if units:
        d.attrs["units"] = units


def make_day(src, dst, periods):
    """A synthetic day on an imported grid: see the module docstring."""
    import h5py
    import numpy as np
    shutil.copy(src, dst)
    with h5py.File(dst, "r+") as f:
        g = f["grid"]
        base = g["load/p"][0, :]
        prof = np.array([PROFILE[t % 24] for t in range(periods)])
        del g["load/p"]
        column(g, "load/p", np.outer(prof, base), "MW")
        peak = max(base.clip(min=0).sum(), 1.0)
        live = g["bus/type"][:] != 4
        order = [i for i in np.argsort(-base) if live[i]]
        sites = np.array(order[: max(1, len(order) // 10)], dtype=np.int32)
        share = base[sites].clip(min=1e-3) / base[sites].clip(min=1e-3).sum()
        sun = np.array([max(0.0, np.sin(np.pi * ((t % 24) - 6) / 12)) for t in range(periods)])
        column(g, "renewable/bus", sites, "1")
        column(g, "renewable/capacity", 0.2 * peak * share, "MW")
        g.create_dataset("renewable/technology", data=["solar"] * len(sites), dtype=h5py.string_dtype())
        column(g, "renewable/availability", np.outer(sun, np.ones(len(sites))), "1")
        power = 0.05 * peak * share
        column(g, "storage/bus", sites, "1")
        column(g, "storage/charge_max", power, "MW")
        column(g, "storage/discharge_max", power, "MW")
        column(g, "storage/energy_max", 4 * power, "MWh")
        column(g, "storage/eta_charge", np.full(len(sites), 0.95), "1")
        column(g, "storage/eta_discharge", np.full(len(sites), 0.95), "1")
        column(g, "storage/soc_initial", 2 * power, "MWh")
        column(g, "storage/soc_final", 2 * power, "MWh")
        ref = np.flatnonzero(g["bus/type"][:] == 3)[:1].astype(np.int32)
        column(g, "tie_line/bus", ref, "1")
        column(g, "tie_line/import_max", np.full(len(ref), 0.1 * peak), "MW")
        column(g, "tie_line/price", np.outer(20 + 30 * prof, np.ones(len(ref))), "currency/MWh")


def run_weft(weft, grid, device, tol, time_limit, mps=None):
    cmd = [weft, "dispatch", grid, "--device", device, "--tol", str(tol), "--json", "--time-limit", str(time_limit)]
    if mps:
        cmd += ["--write-mps", mps]
    t = time.time()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, check=False)
    wall = time.time() - t
    s = json.loads(out.stdout) if out.stdout.strip() else {"status": "error (exit %d)" % out.returncode}
    s["wall_s"] = wall
    return s


def run_highs(mps, time_limit, solver="choose"):
    import highspy
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    if solver != "choose":
        h.setOptionValue("solver", solver)
    if solver == "ipm":
        h.setOptionValue("run_crossover", "off")
    if time_limit > 0:
        h.setOptionValue("time_limit", float(time_limit))
    h.readModel(mps)
    t = time.time()
    h.run()
    wall = time.time() - t
    info = h.getInfo()
    return {"status": h.modelStatusToString(h.getModelStatus()), "objective": info.objective_function_value,
            "time_s": wall, "version": h.version(), "solver": solver}


def main():
    ensure_venv()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weft", default=os.path.join(ROOT, "build", "weft"))
    ap.add_argument("--cases", nargs="*", default=["2000", "2869", "8387"])
    ap.add_argument("--devices", nargs="*", default=["cpu", "cl:gpu"])
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--periods", type=int, default=24)
    ap.add_argument("--time-limit", type=float, default=600)
    ap.add_argument("--highs-solver", default="choose", choices=["choose", "ipm", "simplex", "pdlp"])
    ap.add_argument("--json", help="also write the rows as JSON to this file")
    a = ap.parse_args()
    rows = []
    print("| case | periods | rows x cols (nnz) | solver | status | objective | rel. diff to HiGHS | time |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for c in a.cases:
            path = glob.glob(os.path.join(ROOT, "..", "shared", "datasets", "pglib-opf", "pglib_opf_case%s_*.m" % c))[0]
            name = re.sub(r"^pglib_opf_", "", os.path.splitext(os.path.basename(path))[0])
            grid, day, mps = (os.path.join(work, name + s) for s in (".h5", "_day.h5", "_day.mps"))
            subprocess.check_call([a.weft, "import", "matpower", path, "-o", grid, "-q"])
            make_day(grid, day, a.periods)
            runs = [(d, run_weft(a.weft, day, d, a.tol, a.time_limit, mps if i == 0 else None))
                    for i, d in enumerate(a.devices)]
            ref = run_highs(mps, a.time_limit, a.highs_solver)
            scale = runs[0][1].get("objective_scale", 1.0)
            ref_obj = ref["objective"] * scale
            size = "%s x %s (%s)" % (runs[0][1].get("rows"), runs[0][1].get("cols"), runs[0][1].get("nonzeros"))
            for d, s in runs:
                obj = s.get("objective")
                rel = abs(obj - ref_obj) / abs(ref_obj) if obj is not None else float("nan")
                print("| %s | %d | %s | weft %s (%s) | %s | %.8g | %.1e | %.2f s |" % (
                    name, a.periods, size, d, s.get("device", "?"), s["status"], obj or float("nan"), rel,
                    s.get("time_s", float("nan"))), flush=True)
                rows.append(dict(s, case=name, solver="weft", requested_device=d))
            print("| %s | %d | %s | HiGHS %s (%s) | %s | %.8g | | %.2f s |" % (
                name, a.periods, size, ref["version"], ref["solver"], ref["status"], ref_obj,
                ref["time_s"]), flush=True)
            rows.append(dict(case=name, solver="highs", objective=ref_obj, status=ref["status"], time_s=ref["time_s"]))
    if a.json:
        json.dump(rows, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
