#!/usr/bin/env python3
"""Structural mutations of weft's HDF5 inputs, one dataset at a time: removed, NaN, -1, 1e308,
2^40, one row short, one row long, strings, an extra dimension, empty. Each mutant goes through the
command that reads it (dispatch for /grid, route for /logistics, matrix for /roads, batch for
/scenarios, run for a job); faults are reported as by fuzz_text.py (a signal, sanitizer output, a
hang, an error on several lines, an output file left by a failed run). The seeds are made here with
weft import (kunshan-job, scenarios, cvrplib, solomon, dimacs). Needs h5py and numpy (bench/.venv
has them). Not part of ctest; run it on a sanitizer build:

    bench/.venv/bin/python tests/fuzz/fuzz_h5.py build-asan/weft /tmp/fuzz-h5
"""
import os, shutil, subprocess, sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fuzz_text import DATA, SHARED, verdict  # noqa: E402


def seeds(weft, d):
    """(file, command) pairs, the files made with weft import."""
    def imp(*args):
        subprocess.check_call([weft, "import"] + list(args) + ["-q"])
    job, scen = os.path.join(d, "job.h5"), os.path.join(d, "scen.h5")
    imp("kunshan-job", "--buses", "30", "--customers", "10", "--road-nodes", "2000", "-o", job)
    imp("scenarios", job, "--days", "3", "--seed", "5", "-o", scen)
    cv, so, ro = (os.path.join(d, x) for x in ("cvrp.h5", "solomon.h5", "roads.h5"))
    imp("cvrplib", os.path.join(SHARED, "cvrplib-small", "E-n13-k4.vrp"), "-o", cv)
    imp("solomon", os.path.join(SHARED, "solomon", "C101.txt"), "-o", so)
    imp("dimacs", os.path.join(DATA, "roads", "small.gr"), os.path.join(DATA, "roads", "small.co"), "-o", ro)
    cpu = ["--device", "cpu", "-q"]
    return [
        (job, lambda f, o: [weft, "dispatch", f, "-o", o, "--iteration-limit", "2000"] + cpu),
        (cv, lambda f, o: [weft, "route", f, "-o", o, "--iteration-limit", "30"] + cpu),
        (so, lambda f, o: [weft, "route", f, "-o", o, "--iteration-limit", "30"] + cpu),
        (ro, lambda f, o: [weft, "matrix", f, "--points", "5", "-o", o] + cpu),
        (scen, lambda f, o: [weft, "batch", f, "-o", o, "--iteration-limit", "500"] + cpu),
        (job, lambda f, o: [weft, "run", f, "-o", o, "--time-limit", "2"] + cpu),
    ]


def mutants(a):
    yield "removed", None
    if not (isinstance(a, np.ndarray) and a.dtype.kind in "fiu" and a.size):
        return
    for label, x in (("nan", np.nan), ("neg", -1), ("huge", 1e308), ("2^40", 2.0 ** 40)):
        if a.dtype.kind == "f" or label in ("neg", "2^40"):
            b = a.astype(np.float64 if a.dtype.kind == "f" else np.int64)
            b.reshape(-1)[b.size // 2] = x
            yield label, b
    if a.ndim and a.shape[0] > 1:
        yield "short", a[:-1]
        yield "long", np.concatenate([a, a[-1:]])
    yield "strings", np.array([b"x"] * (a.shape[0] if a.ndim else 1))
    yield "rank", a.reshape((1,) + a.shape)
    yield "empty", np.zeros((0,) + a.shape[1:], a.dtype) if a.ndim else np.zeros(0)


def campaign(seed, cmd_of, outdir):
    names, counts, faults = [], {}, 0
    with h5py.File(seed, "r") as f:
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
    for name in names:
        with h5py.File(seed, "r") as f:
            muts = list(mutants(f[name][()]))
        for label, data in muts:
            m, o = os.path.join(outdir, "mutant.h5"), os.path.join(outdir, "out.h5")
            shutil.copy(seed, m)
            with h5py.File(m, "r+") as f:
                attrs = dict(f[name].attrs)
                del f[name]
                if data is not None:
                    d = f.create_dataset(name, data=data)
                    for k, v in attrs.items():
                        d.attrs[k] = v
            v, err = verdict(cmd_of(m, o), o)
            counts[v] = counts.get(v, 0) + 1
            if v.startswith("FAULT"):
                faults += 1
                keep = os.path.join(outdir, "FOUND_%s_%s_%s.h5" % (cmd_of(m, o)[1], name.replace("/", "_"), label))
                shutil.copy(m, keep)
                with open(keep + ".txt", "w") as t:
                    t.write(v + "\n" + " ".join(cmd_of(keep, o)) + "\n" + err[-3000:])
                print(cmd_of(m, o)[1], name, label, v, err.strip().split("\n")[0][:200] if err.strip() else "",
                      flush=True)
    print(os.path.basename(seed), cmd_of(seed, "")[1], counts, flush=True)
    return faults


def main():
    weft, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    faults = sum(campaign(seed, cmd_of, outdir) for seed, cmd_of in seeds(weft, outdir))
    sys.exit(1 if faults else 0)


if __name__ == "__main__":
    main()
