"""OR-Tools routing on one instance with a time limit; prints one JSON line (cost in the instance's units).

usage: ortools_run.py FILE {x|solomon} SECONDS [--fleet N] [--first STRATEGY] [--no-drop]

As PEERS.md asks: first solution PATH_CHEAPEST_ARC, then GUIDED_LOCAL_SEARCH until the time limit;
the routing solver is single-threaded and has no seed. Arc costs are integers in each set's
convention: X = Euclidean distance rounded to the nearest integer; Solomon = distance truncated to
one decimal, scaled by 10 (the convention of bks_value), with times in the same tenths (travel
time = truncated distance, plus the service time of the node left). Solomon uses the instance's
vehicle count; X has an unlimited fleet, given to OR-Tools as FLEET vehicles (default: the number of
customers, i.e. as many as could ever be used).

On Solomon, PATH_CHEAPEST_ARC alone finds no feasible first solution within 10 s on six of the 52
instances (R101, R102, R103, R105, R106, RC101: tight windows) and OR-Tools then returns nothing. So
each Solomon customer is an optional visit (a disjunction) with a penalty of 100 x the longest arc,
far above any insertion cost: the first solution may leave customers out and the guided local search
puts them back. A result that still leaves any customer out counts as no solution. --no-drop turns
this off. The reported cost is recomputed here from the routes, independently of OR-Tools'
objective, and the routes are checked (every customer once, capacity, time windows) before it is
reported as feasible.
"""
import argparse
import json
import math
import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
import ortools


def read_x(path):
    """CVRPLIB X file: coordinates, demands, capacity; the depot is node 1 (index 0 here)."""
    coords, demand, capacity, section = [], [], None, None
    for line in open(path):
        tok = line.replace(":", " ").split()
        if not tok:
            continue
        if tok[0] == "CAPACITY":
            capacity = int(tok[1])
        elif tok[0] in ("NODE_COORD_SECTION", "DEMAND_SECTION", "DEPOT_SECTION", "EOF"):
            section = tok[0]
        elif section == "NODE_COORD_SECTION":
            coords.append((float(tok[1]), float(tok[2])))
        elif section == "DEMAND_SECTION":
            demand.append(int(tok[1]))
    return {"coords": coords, "demand": demand, "capacity": capacity, "vehicles": len(coords) - 1,
            "windows": None, "service": None}


def read_solomon(path):
    """Solomon text file: node 0 is the depot; windows and service times in the file's units."""
    lines = [ln.split() for ln in open(path) if ln.strip()]
    vi = next(i for i, ln in enumerate(lines) if ln[0] == "NUMBER")
    vehicles, capacity = int(lines[vi + 1][0]), int(lines[vi + 1][1])
    ci = next(i for i, ln in enumerate(lines) if ln[0] == "CUST")
    rows = [[float(v) for v in ln] for ln in lines[ci + 1:] if len(ln) == 7]
    return {"coords": [(r[1], r[2]) for r in rows], "demand": [int(r[3]) for r in rows],
            "capacity": capacity, "vehicles": vehicles,
            "windows": [(round(r[4] * 10), round(r[5] * 10)) for r in rows],
            "service": [round(r[6] * 10) for r in rows]}


def distance_matrix(coords, kind):
    """Integer arc costs: nearest integer (X) or tenths truncated (Solomon)."""
    n = len(coords)
    d = [[0] * n for _ in range(n)]
    for i, (xi, yi) in enumerate(coords):
        for j, (xj, yj) in enumerate(coords):
            e = math.hypot(xi - xj, yi - yj)
            # The small epsilon keeps an exact tenth (e.g. 5.0 computed as 4.9999...) from losing a tenth.
            d[i][j] = int(math.floor(e + 0.5)) if kind == "x" else int(math.floor(e * 10 + 1e-9))
    return d


def build(inst, dist, drop_penalty):
    n = len(inst["coords"])
    manager = pywrapcp.RoutingIndexManager(n, inst["vehicles"], 0)
    routing = pywrapcp.RoutingModel(manager)
    node = manager.IndexToNode
    arc = routing.RegisterTransitCallback(lambda a, b: dist[node(a)][node(b)])
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    dem = routing.RegisterUnaryTransitCallback(lambda a: inst["demand"][node(a)])
    routing.AddDimensionWithVehicleCapacity(dem, 0, [inst["capacity"]] * inst["vehicles"], True, "load")
    if drop_penalty:
        for v in range(1, n):
            routing.AddDisjunction([manager.NodeToIndex(v)], drop_penalty)
    if inst["windows"]:
        svc = inst["service"]
        tt = routing.RegisterTransitCallback(lambda a, b: svc[node(a)] + dist[node(a)][node(b)])
        horizon = inst["windows"][0][1]
        routing.AddDimension(tt, horizon, horizon, False, "time")
        tdim = routing.GetDimensionOrDie("time")
        for v in range(1, n):
            tdim.CumulVar(manager.NodeToIndex(v)).SetRange(*inst["windows"][v])
        for k in range(inst["vehicles"]):
            tdim.CumulVar(routing.Start(k)).SetRange(*inst["windows"][0])
            tdim.CumulVar(routing.End(k)).SetRange(*inst["windows"][0])
    return manager, routing


def routes_of(manager, routing, sol, vehicles):
    out = []
    for k in range(vehicles):
        i, r = sol.Value(routing.NextVar(routing.Start(k))), []
        while not routing.IsEnd(i):
            r.append(manager.IndexToNode(i))
            i = sol.Value(routing.NextVar(i))
        if r:
            out.append(r)
    return out


def check_and_cost(inst, dist, routes):
    """Independent of OR-Tools: cost in the set's integer units and whether the routes are feasible."""
    seen = sorted(c for r in routes for c in r)
    ok = seen == list(range(1, len(inst["coords"]))) and len(routes) <= inst["vehicles"]
    cost = 0
    for r in routes:
        path = [0] + r + [0]
        cost += sum(dist[a][b] for a, b in zip(path, path[1:]))
        ok = ok and sum(inst["demand"][c] for c in r) <= inst["capacity"]
        if inst["windows"]:
            t = inst["windows"][0][0]
            for a, b in zip(path, path[1:]):
                t = max(t + inst["service"][a] + dist[a][b], inst["windows"][b][0])
                ok = ok and t <= inst["windows"][b][1]
    return cost, ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("kind", choices=("x", "solomon"))
    ap.add_argument("seconds", type=float)
    ap.add_argument("--fleet", type=int, help="X only: vehicles available (default: number of customers)")
    ap.add_argument("--first", default="PATH_CHEAPEST_ARC", help="OR-Tools FirstSolutionStrategy name")
    ap.add_argument("--no-drop", action="store_true", help="Solomon: forbid dropping customers (see above)")
    a = ap.parse_args()
    kind = a.kind
    inst = read_x(a.path) if kind == "x" else read_solomon(a.path)
    if kind == "x" and a.fleet:
        inst["vehicles"] = a.fleet
    dist = distance_matrix(inst["coords"], kind)
    penalty = 100 * max(max(r) for r in dist) if kind == "solomon" and not a.no_drop else 0
    manager, routing = build(inst, dist, penalty)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, a.first)
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(a.seconds * 1000))
    t0 = time.time()
    sol = routing.SolveWithParameters(params)
    elapsed = time.time() - t0
    res = {"cost": None, "feasible": False, "vehicles": None, "time_s": elapsed, "version": ortools.__version__}
    if sol:
        routes = routes_of(manager, routing, sol, inst["vehicles"])
        cost, ok = check_and_cost(inst, dist, routes)
        scale = 1 if kind == "x" else 10
        res.update({"cost": cost / scale if ok else None, "feasible": ok, "vehicles": len(routes),
                    "ortools_objective": sol.ObjectiveValue() / scale,
                    "dropped": len(inst["coords"]) - 1 - sum(len(r) for r in routes)})
    print(json.dumps(res))


if __name__ == "__main__":
    main()
