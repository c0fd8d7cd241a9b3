"""PyVRP on one instance with a time limit; prints one JSON line (cost in the instance's units).

usage: pyvrp_run.py FILE {x|solomon} SECONDS SEED

Solomon text files are rewritten as VRPLIB VRPTW files first (PyVRP reads VRPLIB only); the
'dimacs' rounding (one decimal, truncated) then matches the distance-min best-known values,
as PEERS.md describes. X instances use 'round' (nearest integer).
"""
import json
import os
import sys
import tempfile
import time

import pyvrp
from pyvrp.stop import MaxRuntime


def solomon_to_vrplib(path):
    """Writes a VRPLIB VRPTW copy of a Solomon text file; returns its path."""
    lines = [ln.split() for ln in open(path) if ln.strip()]
    name = lines[0][0]
    vi = next(i for i, ln in enumerate(lines) if ln[0] == "NUMBER")
    vehicles, capacity = lines[vi + 1]
    ci = next(i for i, ln in enumerate(lines) if ln[0] == "CUST")
    rows = [ln for ln in lines[ci + 1:] if len(ln) == 7]
    out = [f"NAME : {name}", "TYPE : VRPTW", f"DIMENSION : {len(rows)}", f"VEHICLES : {vehicles}",
           f"CAPACITY : {capacity}", "EDGE_WEIGHT_TYPE : EUC_2D", "NODE_COORD_SECTION"]
    out += [f"{i + 1} {r[1]} {r[2]}" for i, r in enumerate(rows)]
    out += ["DEMAND_SECTION"] + [f"{i + 1} {r[3]}" for i, r in enumerate(rows)]
    out += ["TIME_WINDOW_SECTION"] + [f"{i + 1} {r[4]} {r[5]}" for i, r in enumerate(rows)]
    out += ["SERVICE_TIME_SECTION"] + [f"{i + 1} {r[6]}" for i, r in enumerate(rows)]
    out += ["DEPOT_SECTION", "1", "-1", "EOF"]
    fd, tmp = tempfile.mkstemp(suffix=".vrp")
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(out) + "\n")
    return tmp


def main():
    path, kind, seconds, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    tmp = None
    if kind == "solomon" and path.endswith(".txt"):
        tmp = path = solomon_to_vrplib(path)
    data = pyvrp.read(path, round_func="round" if kind == "x" else "dimacs")
    if tmp:
        os.remove(tmp)
    model = pyvrp.Model.from_data(data)
    t0 = time.time()
    res = model.solve(stop=MaxRuntime(seconds), seed=seed, display=False)
    scale = 1 if kind == "x" else 10  # dimacs works in tenths
    best = res.best
    print(json.dumps({"cost": best.distance() / scale if best.is_feasible() else None,
                      "feasible": best.is_feasible(), "vehicles": best.num_routes(),
                      "time_s": time.time() - t0, "iterations": res.num_iterations,
                      "version": pyvrp.__version__ if hasattr(pyvrp, "__version__") else "0.14.1"}))


if __name__ == "__main__":
    main()
