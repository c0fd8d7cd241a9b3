#!/usr/bin/env python3
"""Single-period DC-OPF on every PGLib case in ../shared/datasets/pglib-opf: weft (MATPOWER's
rundcopf convention, the default) against PYPOWER's rundcopf, an independent implementation of the
same model (PIPS interior point), reading the .m files with its own small parser below.

Compares the objective (target: relative difference <= 1e-5) and the LMPs (lam_P, currency/MWh;
target: |weft - pypower| <= 1e-3 * max(|pypower|, 1)) and prints a table.

    python3 bench/validate_dcopf.py [--weft build/weft] [--tol 1e-8] [--time-limit S] [--cases 14 30 ...]

The first run creates bench/.venv and installs pypower, numpy, scipy and h5py from PyPI into it.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")
VENV_PY = os.path.join(VENV, "bin", "python")
PACKAGES = ["pypower", "numpy", "scipy", "h5py"]


def ensure_venv():
    """Runs this script again under bench/.venv, creating it on first use."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(VENV_PY):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([VENV_PY, "-m", "pip", "install", "-q"] + PACKAGES)
    os.execv(VENV_PY, [VENV_PY] + sys.argv)


def parse_matpower(path):
    """baseMVA and the bus, gen, branch, gencost matrices of a MATPOWER .m file."""
    import numpy as np
    text = "\n".join(line.split("%", 1)[0] for line in open(path))
    base = float(re.search(r"mpc\.baseMVA\s*=\s*([^;\s]+)", text).group(1))
    mats = {}
    for name in ("bus", "gen", "branch", "gencost"):
        body = re.search(r"mpc\.%s\s*=\s*\[(.*?)\]" % name, text, re.S).group(1)
        rows = [r.split() for r in re.split(r"[;\n]", body.replace(",", " ")) if r.strip()]
        mats[name] = np.array(rows, dtype=float)
    return base, mats


def pypower_dcopf(path):
    import numpy as np
    from pypower.api import ppoption, rundcopf
    base, m = parse_matpower(path)
    gen = np.zeros((m["gen"].shape[0], 21))
    gen[:, : m["gen"].shape[1]] = m["gen"]
    ppc = {"version": "2", "baseMVA": base, "bus": m["bus"], "gen": gen, "branch": m["branch"],
           "gencost": m["gencost"]}
    # PIPS tolerances as tight as converge: 1e-9 first (default 1e-6); PEGASE cases stall below 1e-8
    for tol in (1e-9, 1e-8, 1e-7, 1e-6):
        opt = ppoption(VERBOSE=0, OUT_ALL=0, PDIPM_FEASTOL=tol, PDIPM_GRADTOL=tol, PDIPM_COMPTOL=tol,
                       PDIPM_COSTTOL=tol, PDIPM_MAX_IT=500)
        t = time.time()
        r = rundcopf(ppc, opt)
        elapsed = time.time() - t
        if r["success"]:
            break
    else:
        raise RuntimeError("PYPOWER did not converge on " + path)
    print("  (%s: PYPOWER converged at PIPS tolerance %g)" % (os.path.basename(path), tol), file=sys.stderr)
    return r["f"], r["bus"][:, 13], m["bus"][:, 1], elapsed


def weft_dcopf(weft, path, tol, time_limit, work):
    import h5py
    name = os.path.splitext(os.path.basename(path))[0]
    grid = os.path.join(work, name + ".h5")
    res = os.path.join(work, name + "_results.h5")
    subprocess.check_call([weft, "import", "matpower", path, "-o", grid, "-q"])
    t = time.time()
    run = subprocess.run([weft, "dispatch", grid, "--model", "matpower", "--tol", str(tol), "--json", "-o", res,
                          "--time-limit", str(time_limit)],
                         stdout=subprocess.PIPE, check=False)
    elapsed = time.time() - t
    summary = json.loads(run.stdout)
    with h5py.File(res, "r") as f:
        lmp = f["/results/dispatch/bus/lmp"][0, :]
    return summary, lmp, elapsed


def main():
    ensure_venv()
    import numpy as np
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weft", default=os.path.join(ROOT, "build", "weft"))
    ap.add_argument("--tol", type=float, default=1e-8, help="weft's relative KKT tolerance")
    ap.add_argument("--time-limit", type=float, default=0, help="seconds per weft solve, 0 = none")
    ap.add_argument("--cases", nargs="*", help="case numbers (14 30 ...); default: all in shared")
    ap.add_argument("--json", help="also write the rows as JSON to this file")
    a = ap.parse_args()
    files = sorted(glob.glob(os.path.join(ROOT, "..", "shared", "datasets", "pglib-opf", "pglib_opf_case*.m")),
                   key=lambda p: int(re.search(r"case(\d+)", p).group(1)))
    if a.cases:
        files = [p for p in files if re.search(r"case(\d+)", p).group(1) in a.cases]
    rows, ok_all = [], True
    print("| case | buses | weft objective | PYPOWER objective | rel. diff | max LMP rel. diff | LMP range (weft) "
          "| weft status, iters, time | PYPOWER time | pass |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for path in files:
            name = os.path.splitext(os.path.basename(path))[0].replace("pglib_opf_", "")
            try:
                f_ref, lam_ref, bus_type, t_ref = pypower_dcopf(path)
            except RuntimeError as e:  # no reference: the case cannot be validated
                print("| %s | | | PYPOWER did not converge | | | | not run | | NO |" % name, flush=True)
                rows.append(dict(case=name, ok=False, error=str(e)))
                ok_all = False
                continue
            s, lam, t_w = weft_dcopf(a.weft, path, a.tol, a.time_limit, work)
            obj = s["objective"] if s["objective"] is not None else float("nan")
            rel = abs(obj - f_ref) / abs(f_ref)
            live = bus_type != 4
            lrel = float(np.max(np.abs(lam[live] - lam_ref[live]) / np.maximum(np.abs(lam_ref[live]), 1.0)))
            ok = rel <= 1e-5 and lrel <= 1e-3 and s["status"] == "optimal"
            ok_all &= ok
            rows.append(dict(case=name, buses=int(len(lam)), weft=obj, pypower=f_ref, rel=rel, lmp_rel=lrel,
                             status=s["status"], iterations=s["iterations"], weft_s=t_w, pypower_s=t_ref, ok=ok))
            print("| %s | %d | %.8g | %.8g | %.1e | %.1e | %.2f .. %.2f | %s, %d, %.1f s | %.1f s | %s |" % (
                name, len(lam), obj, f_ref, rel, lrel, s["lmp_min"], s["lmp_max"], s["status"], s["iterations"],
                t_w, t_ref, "yes" if ok else "NO"), flush=True)
    if a.json:
        json.dump(rows, open(a.json, "w"), indent=1)
    print("\nall cases within targets" if ok_all else "\nSOME CASES MISS THE TARGETS")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
