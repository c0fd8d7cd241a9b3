#!/usr/bin/env python3
"""Single-period DC-OPF on every PGLib case in ../shared/datasets/pglib-opf: weft (MATPOWER's
rundcopf convention, the default) against PYPOWER's rundcopf, an independent implementation of the
same model, reading the .m files with its own small parser below.

PYPOWER builds the model (ext2int, makeBdc, opf_setup, costs) and reads back the LMPs in its
dcopf_solver; only the QP under it is swapped: --reference highs (the default) hands it to HiGHS
through qps_highs below, --reference pips keeps PYPOWER's own PIPS interior point, which does not
converge on case8387_pegase. --cross-check solves each case both ways and compares the two
references with each other instead of running weft.

Compares the objective (target: relative difference <= 1e-5) and the LMPs (lam_P, currency/MWh;
target: |weft - reference| <= 1e-3 * max(|reference|, 1)) and prints a table. Where a bus misses
the LMP target, the range of LMPs that are optimal there is looked up (lmp_range): a bus whose LMP
is not unique passes if weft's lies within the target of that range, and the table says so.

    python3 bench/validate_dcopf.py [--weft build/weft] [--tol 1e-8] [--time-limit S] [--cases 14 30 ...]
                                    [--reference highs|pips] [--cross-check] [--json F] [--keep DIR]

The first run creates bench/.venv and installs pypower, numpy, scipy, h5py and highspy from PyPI.
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
PACKAGES = ["pypower", "numpy", "scipy", "h5py", "highspy"]
FREE_BOX = 1e4  # stands in for infinite variable bounds in qps_highs
OBJ_TOL, LMP_TOL = 1e-5, 1e-3  # the targets (relative; LMPs relative to max(|lam_P|, 1))
MAX_RANGE_CHECKS = 50  # buses whose optimal-LMP range is looked up (an LP pair each)


def ensure_venv():
    """Runs this script again under bench/.venv, creating it or adding missing packages first."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(VENV_PY):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    if subprocess.call([VENV_PY, "-c", "import pypower, h5py, highspy"], stderr=subprocess.DEVNULL):
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


def highs_lp(cost, col_lower, col_upper, row_lower, row_upper, A):
    """A HighsLp: min cost'x, row_lower <= Ax <= row_upper, col_lower <= x <= col_upper (A in CSC)."""
    import highspy
    import numpy as np
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = A.shape[1], A.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.asarray(cost, float), col_lower, col_upper
    lp.row_lower_, lp.row_upper_ = np.asarray(row_lower, float), np.asarray(row_upper, float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    return lp


def qps_highs(H, c, A, l, u, xmin, xmax, x0, opt):
    """PYPOWER's qps_pypower on HiGHS: min 1/2 x'Hx + c'x, l <= Ax <= u, xmin <= x <= xmax.

    Returns what qps_pips returns: x, f, eflag (1 = optimal), output and the multipliers in PIPS's
    convention, all >= 0 with grad f + A'(mu_u - mu_l) + upper - lower = 0. HiGHS's duals satisfy
    grad f = A'row_dual + col_dual, positive where a lower bound binds, so mu_l is the positive
    part of row_dual and mu_u the negated negative part (as qps_gurobi does with Gurobi's pi).
    x0 and the PIPS options dcopf_solver prepares are not used.

    HiGHS's active-set QP solver fails on case2000_goc with the voltage angles free ("claims
    optimality, but with primal infeasibilities"); boxed at +-FREE_BOX it solves it. The box is
    far outside any angle (radians) or output (per unit) in these cases, and a solution that
    reaches it is reported as a failure rather than taken.
    """
    import highspy
    import numpy as np
    import scipy.sparse as sp
    n = len(c)
    A = sp.csc_matrix(A)
    lp = highs_lp(c, np.maximum(xmin, -FREE_BOX), np.minimum(xmax, FREE_BOX), l, u, A)
    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(opt.get("highs_log")))
    for name in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
        h.setOptionValue(name, opt.get("highs_tol", 1e-9))
    h.passModel(lp)
    Hl = sp.tril(sp.csc_matrix(H)).tocsc()
    Hl.eliminate_zeros()
    if Hl.nnz:  # HiGHS takes the lower triangle, column-wise
        h.passHessian(n, Hl.nnz, highspy.HessianFormat.kTriangular, Hl.indptr, Hl.indices, Hl.data)
    h.run()
    sol, status = h.getSolution(), h.getModelStatus()
    x = np.array(sol.col_value)
    y, z = np.array(sol.row_dual), np.array(sol.col_dual)
    f = 0.5 * x @ (H @ x) + c @ x
    info = h.getInfo()
    output = {"alg": "highs", "status": h.modelStatusToString(status), "version": h.version(),
              "iterations": info.simplex_iteration_count + info.qp_iteration_count + info.ipm_iteration_count}
    lam = {"mu_l": np.maximum(y, 0), "mu_u": np.maximum(-y, 0), "lower": np.maximum(z, 0), "upper": np.maximum(-z, 0)}
    output["kkt"] = kkt_residuals(sp.csr_matrix(H), np.asarray(c, float), A, l, u, xmin, xmax, x, lam)
    boxed = np.any((x <= -FREE_BOX / 2) & (xmin < -FREE_BOX)) or np.any((x >= FREE_BOX / 2) & (xmax > FREE_BOX))
    ok = status == highspy.HighsModelStatus.kOptimal and not boxed
    return x, f, 1 if ok else -1, output, lam


def kkt_residuals(H, c, A, l, u, xmin, xmax, x, lam):
    """Largest primal violation, stationarity residual (relative to max(|c|, 1)) and
    complementarity product (multiplier x slack, in the objective's units) of a QP solution in qps_highs's convention: the check that stands
    where PIPS cannot reproduce HiGHS (case8387_pegase)."""
    import numpy as np
    ax = A @ x
    primal = max(np.max(np.maximum(l - ax, ax - u), initial=0), np.max(np.maximum(xmin - x, x - xmax), initial=0))
    grad = H @ x + c + A.T @ (lam["mu_u"] - lam["mu_l"]) + lam["upper"] - lam["lower"]
    dual = np.max(np.abs(grad)) / max(np.max(np.abs(c)), 1.0)
    slack = lambda m, d: np.max(m * np.abs(np.where(np.isfinite(d), d, 0)), initial=0)
    comp = max(slack(lam["mu_l"], ax - l), slack(lam["mu_u"], u - ax), slack(lam["lower"], x - xmin),
               slack(lam["upper"], xmax - x))
    return primal, dual, comp


def recorded(solver, qp):
    """solver, keeping the constraints, the solution and the multipliers of its QP in qp."""
    def run(H, c, A, l, u, xmin, xmax, x0, opt):
        out = solver(H, c, A, l, u, xmin, xmax, x0, opt)
        qp.update(A=A, l=l, u=u, xmin=xmin, xmax=xmax, x=out[0], lam=out[4])
        return out
    return run


def pypower_dcopf(path, reference):
    """PYPOWER's rundcopf on a .m file, its QP solved by reference (highs or pips): objective, lam_P
    (currency/MWh), bus types, seconds, and the QP (for lmp_range)."""
    import numpy as np
    import pypower.dcopf_solver
    from pypower.api import ppoption, rundcopf
    from pypower.qps_pypower import qps_pypower
    base, m = parse_matpower(path)
    gen = np.zeros((m["gen"].shape[0], 21))
    gen[:, : m["gen"].shape[1]] = m["gen"]
    ppc = {"version": "2", "baseMVA": base, "bus": m["bus"], "gen": gen, "branch": m["branch"],
           "gencost": m["gencost"]}
    # dcopf_solver calls qps_pypower by the name it imported: the one place to swap the QP solver
    qp = {}
    pypower.dcopf_solver.qps_pypower = recorded(qps_highs if reference == "highs" else qps_pypower, qp)
    # PIPS tolerances as tight as converge: 1e-9 first (default 1e-6); PEGASE cases stall below 1e-8.
    # HiGHS (primal and dual feasibility 1e-9) ignores them and converges on the first.
    for tol in (1e-9, 1e-8, 1e-7, 1e-6):
        opt = ppoption(VERBOSE=0, OUT_ALL=0, OPF_ALG_DC=200, PDIPM_FEASTOL=tol, PDIPM_GRADTOL=tol,
                       PDIPM_COMPTOL=tol, PDIPM_COSTTOL=tol, PDIPM_MAX_IT=500)
        t = time.time()
        r = rundcopf(ppc, opt)
        elapsed = time.time() - t
        if r["success"] or reference == "highs":
            break
    if not r["success"]:
        raise RuntimeError("PYPOWER (%s) did not converge on %s" % (reference, path))
    out = r["raw"]["output"]
    how = ("HiGHS %s, %d iterations, KKT: primal %.1e, stationarity %.1e, complementarity %.1e"
           % ((out["version"], out["iterations"]) + out["kkt"]) if reference == "highs"
           else "PIPS tolerance %g" % tol)
    print("  (%s: PYPOWER converged, %s)" % (os.path.basename(path), how), file=sys.stderr)
    # bus k of the QP (its k-th balance row) is the k-th bus in service of the case
    qp.update(base=base, balance=r["om"].get_idx()[1]["i1"]["Pmis"], buses=r["order"]["bus"]["status"]["on"])
    return r["f"], r["bus"][:, 13], m["bus"][:, 1], elapsed, qp


def lmp_diffs(lam, lam_ref, bus_type):
    """|lam - lam_ref| / max(|lam_ref|, 1) per bus, 0 at buses out of service."""
    import numpy as np
    return np.where(bus_type != 4, np.abs(lam - lam_ref) / np.maximum(np.abs(lam_ref), 1.0), 0.0)


def lmp_checked(lam, lam_ref, bus_type, qp, name):
    """The buses whose LMP is more than LMP_TOL from the reference's, and how many of them lie
    within LMP_TOL of the range of optimal LMPs at that bus (lmp_range; at most MAX_RANGE_CHECKS
    buses are looked at, the others count as outside)."""
    import numpy as np
    off = np.flatnonzero(lmp_diffs(lam, lam_ref, bus_type) > LMP_TOL)
    if len(off) == 0 or len(off) > MAX_RANGE_CHECKS:
        return len(off), 0
    lo, hi = lmp_range(qp, off)
    slack = LMP_TOL * np.maximum(np.abs(lam_ref[off]), 1.0)
    inside = (lam[off] >= lo - slack) & (lam[off] <= hi + slack)
    for k, b in enumerate(off):
        print("  (%s: bus row %d: weft %.6g, reference %.6g, optimal LMPs %.6g .. %.6g: %s)" % (
            name, b, lam[b], lam_ref[b], lo[k], hi[k], "inside" if inside[k] else "OUTSIDE"), file=sys.stderr)
    return len(off), int(np.sum(inside))


def lmp_range(qp, rows):
    """The least and greatest LMP (currency/MWh) of the case's buses rows over all optimal duals of
    the reference's QP: where constraints binding at its solution are linearly dependent (two lines
    in series at their limit through a bus without load, in case8387_pegase) a bus's LMP is not
    unique, and any value in this range is as optimal as the reference's.

    The optimal duals are y (rows) and z (bounds) with A'y + z = A'y* + z* (the reference's own
    multipliers, so the gradient of the cost at the optimum), y_j >= 0 only where row j binds at
    its lower bound, <= 0 only at its upper, 0 where neither (z likewise): an LP per bound.
    """
    import highspy
    import numpy as np
    import scipy.sparse as sp
    A = sp.csr_matrix(qp["A"])
    x, lam = qp["x"], qp["lam"]
    m, n = A.shape

    def duals(v, lo, hi, mul_lo, mul_hi):  # bounds on y (or z) from which of lo <= v <= hi bind
        near = lambda s, b: s <= 1e-8 * np.maximum(1.0, np.abs(np.where(np.isfinite(b), b, 0)))
        return np.where(near(hi - v, hi), -np.inf, 0.0), np.where(near(v - lo, lo), np.inf, 0.0), mul_lo - mul_hi
    ylo, yhi, y = duals(A @ x, qp["l"], qp["u"], lam["mu_l"], lam["mu_u"])
    zlo, zhi, z = duals(x, qp["xmin"], qp["xmax"], lam["lower"], lam["upper"])
    M = sp.hstack([A.T, sp.identity(n)]).tocsc()  # A'y + z, columns y then z
    target = A.T @ y + z
    lp = highs_lp(np.zeros(m + n), np.r_[ylo, zlo], np.r_[yhi, zhi], target, target, M)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")  # on case2000_goc its postsolve leaves this LP infeasible
    h.passModel(lp)
    where = {b: k for k, b in enumerate(qp["buses"])}
    out = np.full((len(rows), 2), np.nan)
    for i, b in enumerate(rows):
        j = qp["balance"] + where[b]
        for side, sign in ((0, 1.0), (1, -1.0)):  # LMP = -y_j / baseMVA: least LMP = greatest y_j
            h.changeColCost(j, -sign)
            h.run()
            st = h.getModelStatus()
            if st == highspy.HighsModelStatus.kOptimal:
                out[i, side] = -h.getSolution().col_value[j] / qp["base"]
            elif st == highspy.HighsModelStatus.kUnbounded:
                out[i, side] = -sign * np.inf
        h.changeColCost(j, 0.0)
    return out[:, 0], out[:, 1]


def cross_check(files):
    """PYPOWER with HiGHS against PYPOWER with PIPS on each case: the HiGHS route is trusted where
    it reproduces PIPS (and by its KKT residuals, printed on stderr, where PIPS fails)."""
    ok_all = True
    print("| case | HiGHS objective | PIPS objective | rel. diff | max LMP rel. diff | HiGHS time | PIPS time |")
    print("|---|---|---|---|---|---|---|")
    for path in files:
        name = os.path.splitext(os.path.basename(path))[0].replace("pglib_opf_", "")
        cells = [name]
        try:
            f_h, lam_h, bus_type, t_h, _ = pypower_dcopf(path, "highs")
            cells.append("%.10g" % f_h)
            f_p, lam_p, _, t_p, _ = pypower_dcopf(path, "pips")
            cells += ["%.10g" % f_p, "%.1e" % (abs(f_h - f_p) / abs(f_p)), "%.1e" % lmp_diffs(lam_h, lam_p, bus_type).max(),
                      "%.1f s" % t_h, "%.1f s" % t_p]
        except RuntimeError as e:
            cells.append(str(e).split(" on ")[0])
            ok_all = False
        print("| " + " | ".join(cells + [""] * (7 - len(cells))) + " |", flush=True)
    return 0 if ok_all else 1


def weft_dcopf(weft, path, tol, time_limit, work):
    """weft's JSON summary (with "residuals": pres, dres, gap of its last iteration-log line), the
    LMPs and the seconds."""
    import h5py
    name = os.path.splitext(os.path.basename(path))[0]
    grid = os.path.join(work, name + ".h5")
    res = os.path.join(work, name + "_results.h5")
    subprocess.check_call([weft, "import", "matpower", path, "-o", grid, "-q"])
    t = time.time()
    run = subprocess.run([weft, "dispatch", grid, "--model", "matpower", "--tol", str(tol), "--json", "-v", "-o", res,
                          "--time-limit", str(time_limit)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
    elapsed = time.time() - t
    summary = json.loads(run.stdout)
    log = [l.split() for l in run.stderr.splitlines() if re.match(r"\s+\d+\s+[\d.]+s\s", l)]
    summary["residuals"] = [float(v) for v in log[-1][4:7]] if log else None
    print("  (%s: weft %s, last log line: %s)" % (name, summary["status"], " ".join(log[-1]) if log else "none"),
          file=sys.stderr)
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
    ap.add_argument("--keep", help="keep weft's grid and results and the reference LMPs (.npy) in this folder")
    ap.add_argument("--reference", choices=["highs", "pips"], default="highs",
                    help="QP solver under PYPOWER's DC-OPF: HiGHS (default) or PYPOWER's PIPS")
    ap.add_argument("--cross-check", action="store_true",
                    help="compare PYPOWER+HiGHS with PYPOWER+PIPS on the cases, no weft")
    a = ap.parse_args()
    files = sorted(glob.glob(os.path.join(ROOT, "..", "shared", "datasets", "pglib-opf", "pglib_opf_case*.m")),
                   key=lambda p: int(re.search(r"case(\d+)", p).group(1)))
    if a.cases:
        files = [p for p in files if re.search(r"case(\d+)", p).group(1) in a.cases]
    if a.cross_check:
        return cross_check(files)
    rows, ok_all = [], True
    print("reference: PYPOWER rundcopf on %s" % ("HiGHS" if a.reference == "highs" else "PIPS"))
    print("| case | buses | weft objective | reference objective | rel. diff | max LMP rel. diff "
          "| LMPs off / in optimal range | LMP range (weft) | weft status, iters, time | reference time | pass |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        work = a.keep or tmp
        os.makedirs(work, exist_ok=True)
        for path in files:
            name = os.path.splitext(os.path.basename(path))[0].replace("pglib_opf_", "")
            try:
                f_ref, lam_ref, bus_type, t_ref, qp = pypower_dcopf(path, a.reference)
            except RuntimeError as e:  # no reference: the case cannot be validated
                print("| %s | | | PYPOWER did not converge | | | | | not run | | NO |" % name, flush=True)
                rows.append(dict(case=name, ok=False, error=str(e)))
                ok_all = False
                continue
            if a.keep:
                np.save(os.path.join(work, name + "_reference_lmp.npy"), lam_ref)
            s, lam, t_w = weft_dcopf(a.weft, path, a.tol, a.time_limit, work)
            obj = s["objective"] if s["objective"] is not None else float("nan")
            rel = abs(obj - f_ref) / abs(f_ref)
            lrel = float(lmp_diffs(lam, lam_ref, bus_type).max())
            n_off, n_inside = lmp_checked(lam, lam_ref, bus_type, qp, name)
            ok = rel <= OBJ_TOL and n_off == n_inside and s["status"] == "optimal"
            ok_all &= ok
            rows.append(dict(case=name, buses=int(len(lam)), weft=obj, reference=f_ref, reference_solver=a.reference,
                             rel=rel, lmp_rel=lrel, lmp_off=n_off, lmp_off_in_range=n_inside, status=s["status"],
                             iterations=s["iterations"], residuals=s["residuals"], weft_s=t_w, reference_s=t_ref,
                             ok=ok))
            status = s["status"]
            if status != "optimal" and s["residuals"]:  # how far it got
                status += " (pres %.1e, dres %.1e, gap %.1e)" % tuple(s["residuals"])
            print("| %s | %d | %.8g | %.8g | %.1e | %.1e | %s | %.2f .. %.2f | %s, %d, %.1f s | %.1f s | %s |" % (
                name, len(lam), obj, f_ref, rel, lrel, "%d / %d" % (n_off, n_inside) if n_off else "0",
                s["lmp_min"], s["lmp_max"], status, s["iterations"], t_w, t_ref, "yes" if ok else "NO"), flush=True)
    if a.json:
        json.dump(rows, open(a.json, "w"), indent=1)
    print("\nall cases within targets" if ok_all else "\nSOME CASES MISS THE TARGETS")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
