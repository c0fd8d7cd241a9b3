"""weft matrix vs scipy.sparse.csgraph.dijkstra on one /roads file; prints a markdown table."""
import argparse
import json
import os
import subprocess
import time

import h5py
import numpy as np
import scipy
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra


def load_graph(path):
    with h5py.File(path, "r") as f:
        rp = f["/roads/edges/row_ptr"][:]
        head = f["/roads/edges/head"][:]
        t = f["/roads/edges/time_s"][:]
    n = len(rp) - 1
    tail = np.repeat(np.arange(n), np.diff(rp))
    # parallel edges: keep the fastest (a csr_matrix built from triplets would add them up)
    order = np.lexsort((t, head, tail))
    tail, head, t = tail[order], head[order], t[order]
    first = np.ones(len(t), bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    g = csr_matrix((t[first], (tail[first], head[first])), shape=(n, n))
    return g, n, len(rp) - 1, int(rp[-1])


def opencl_device(weft):
    """The first OpenCL device `weft devices` lists ("cl:P:D"), or None."""
    res = subprocess.run([weft, "devices"], capture_output=True, text=True)
    for line in res.stdout.splitlines():
        if line.startswith("cl:"):
            return line.split()[0]
    return None


def run_weft(weft, roads, points_file, k, threads, out, device="cpu"):
    pts = os.path.join(out, f"points_{k}.txt")
    with open(points_file) as f:
        lines = f.read().split()[:k]
    with open(pts, "w") as f:
        f.write("\n".join(lines) + "\n")
    mat = os.path.join(out, f"weft_{k}_{threads}.h5")
    cmd = [weft, "matrix", roads, "--points", pts, "--json", "-q", "-o", mat, "--threads", str(threads),
           "--device", device]
    res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    with h5py.File(mat, "r") as f:
        m = f["/matrix/time_s"][:]
    os.remove(mat)
    return res["time_s"], res["cpu_s"], m, res["unreachable_pairs"], res["device"]


def run_scipy(g, points):
    t0, c0 = time.perf_counter(), time.process_time()
    d = dijkstra(g, directed=True, indices=points)
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    return sec, cpu, d[:, points]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weft", required=True)
    ap.add_argument("--roads", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="100,200,500,1000,2000")
    ap.add_argument("--side-by-side", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--opencl-sizes", default="100",
                    help="point counts also run on the first OpenCL device (PoCL on a CPU is slow)")
    a = ap.parse_args()
    g, n, _, m = load_graph(a.roads)
    with h5py.File(a.roads, "r") as f:
        ids = f["/roads/nodes/id"][:]
    sizes = [int(s) for s in a.sizes.split(",")]
    kmax = max(sizes + [a.side_by_side])
    perm = np.random.default_rng(a.seed).permutation(n)[:kmax]
    points_file = os.path.join(a.out, "points.txt")
    with open(points_file, "w") as f:
        f.write("\n".join(str(ids[p]) for p in perm) + "\n")
    ncpu = os.cpu_count()
    rows = []
    cl = opencl_device(a.weft)
    cl_sizes = {int(s) for s in a.opencl_sizes.split(",") if s}
    print(f"graph: {n} nodes, {m} edges; scipy {scipy.__version__}; {ncpu} CPUs; OpenCL: {cl or 'none'}\n")
    print("| points | method | threads | wall s | wall ms/source | CPU ms/source | max abs diff vs weft (s) | unreachable pairs |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for k in sizes:
        pts = perm[:k]
        ss, sc, sm = run_scipy(g, pts)
        for threads in sorted({1, ncpu}):
            ws, wc, wm, unr, _ = run_weft(a.weft, a.roads, points_file, k, threads, a.out)
            rows.append((k, "weft cpu", threads, ws, wc, unr, 0.0))
            print(f"| {k} | weft cpu | {threads} | {ws:.2f} | {1e3 * ws / k:.2f} | {1e3 * wc / k:.2f} | | {unr} |",
                  flush=True)
        if cl and k in cl_sizes:
            cs, cc, cm, unr, dev = run_weft(a.weft, a.roads, points_file, k, ncpu, a.out, cl)
            exact = bool(np.array_equal(cm, wm))
            rows.append((k, f"weft {dev}", ncpu, cs, cc, unr, 0.0 if exact else float("nan")))
            print(f"| {k} | weft {dev} | {ncpu} | {cs:.2f} | {1e3 * cs / k:.2f} | {1e3 * cc / k:.2f} "
                  f"| {'0 (bit-identical)' if exact else 'DIFFERS'} | {unr} |", flush=True)
        fin = np.isfinite(sm) & np.isfinite(wm)
        same_inf = bool(np.array_equal(np.isinf(sm), np.isinf(wm)))
        diff = float(np.max(np.abs(sm[fin] - wm[fin]))) if fin.any() else 0.0
        rows.append((k, "scipy dijkstra", 1, ss, sc, int(np.isinf(sm).sum()), diff))
        print(f"| {k} | scipy dijkstra | 1 | {ss:.2f} | {1e3 * ss / k:.2f} | {1e3 * sc / k:.2f} "
              f"| {diff:.3g}{'' if same_inf else ' (inf differs!)'} | {int(np.isinf(sm).sum())} |", flush=True)
    with open(os.path.join(a.out, "results.csv"), "w") as f:
        f.write("points,method,threads,wall_s,wall_ms_per_source,cpu_ms_per_source,unreachable_pairs,max_abs_diff_s\n")
        for k, meth, th, s, c, unr, diff in rows:
            f.write(f"{k},{meth},{th},{s:.4f},{1e3 * s / k:.4f},{1e3 * c / k:.4f},{unr},{diff:.3g}\n")


if __name__ == "__main__":
    main()
