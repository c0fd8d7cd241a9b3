#!/usr/bin/env python3
"""Mutation fuzzing of weft's file readers through the CLI (MPS, MATPOWER, CVRPLIB, Solomon, DIMACS
text; OSM PBF, mutated as bytes by the same rules).

Each seed file is mutated N times (truncation, a line deleted, duplicated, swapped or repeated, a
number replaced by junk such as nan, 1e999, 2147483648 or 'abc', random bytes) and fed to one weft
command. Reported: a signal, sanitizer output, a run past 60 s, an error (exit 2) on more than one
line, and an output file left by a run that failed (exit 2 or 4; exit 3, infeasible, writes a
complete result with its certificate). Not part of ctest: it is random and takes minutes. Run it on
a sanitizer build:

    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWEFT_SANITIZE=ON
    cmake --build build-asan --target weft_cli
    SEED=2 python3 tests/fuzz/fuzz_text.py build-asan/weft 400 /tmp/fuzz-text

Failing inputs are kept as OUTDIR/FOUND_* with the command and the end of stderr beside them.
"""
import os, random, re, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(ROOT, "..", "shared", "datasets")
DATA = os.path.join(ROOT, "tests", "data")
JUNK = ["nan", "NaN", "inf", "-inf", "-1", "-1e308", "1e308", "1e999", "99999999999999999999",
        "2147483648", "-2147483649", "0", "abc", "", "1..2", "0x10", "1e", "+", "\t", "\x00", "é"]


def mutate(rng, b):
    lines = b.split(b"\n")
    k = rng.randrange(7)
    if k == 0:
        return b[: rng.randrange(len(b))]
    if k == 6:
        ba = bytearray(b)
        for _ in range(rng.randrange(1, 8)):
            ba[rng.randrange(len(ba))] = rng.randrange(256)
        return bytes(ba)
    i = rng.randrange(len(lines))
    if k == 1 and len(lines) > 1:
        del lines[i]
    elif k == 2:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif k == 3:
        toks = re.split(rb"(\s+)", lines[i])
        idx = [j for j, t in enumerate(toks) if t.strip()]
        if idx:
            toks[rng.choice(idx)] = rng.choice(JUNK).encode()
        lines[i] = b"".join(toks)
    elif k == 4:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif k == 5:
        lines[i] = lines[i] * rng.randrange(2, 50)
    return b"\n".join(lines)


def verdict(cmd, out):
    """What one run did: 'rc N' when it behaved, else the fault."""
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="print_stacktrace=1", OMP_NUM_THREADS="1")
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return "FAULT hang", ""
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode < 0 or p.returncode >= 128:
        return "FAULT signal %d" % p.returncode, err
    if "Sanitizer" in err or "runtime error" in err:
        return "FAULT sanitizer", err
    if p.returncode in (2, 4) and os.path.exists(out):
        return "FAULT output left (rc %d)" % p.returncode, err
    if p.returncode == 2 and len([l for l in err.strip().split("\n") if l.strip()]) != 1:
        return "FAULT error on several lines", err
    return "rc %d" % p.returncode, err


def main():
    weft, n, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(int(os.environ.get("SEED", "1")))
    lp = ["--iteration-limit", "3000", "--device", "cpu", "--threads", "1", "-q"]
    gr, co = os.path.join(DATA, "roads", "small.gr"), os.path.join(DATA, "roads", "small.co")
    campaigns = [
        ("mps_afiro", os.path.join(SHARED, "netlib", "afiro.mps"), lambda f, o: [weft, "lp", f, "-o", o] + lp),
        ("mps_qp", os.path.join(DATA, "mps", "quadobj.mps"), lambda f, o: [weft, "lp", f, "-o", o] + lp),
        ("mps_ranges", os.path.join(DATA, "mps", "ranges.mps"), lambda f, o: [weft, "lp", f, "-o", o] + lp),
        ("matpower", os.path.join(SHARED, "pglib-opf", "pglib_opf_case14_ieee.m"),
         lambda f, o: [weft, "import", "matpower", f, "-o", o, "-q"]),
        ("cvrplib", os.path.join(SHARED, "cvrplib-small", "E-n13-k4.vrp"),
         lambda f, o: [weft, "import", "cvrplib", f, "-o", o, "-q"]),
        ("solomon", os.path.join(SHARED, "solomon", "C101.txt"),
         lambda f, o: [weft, "import", "solomon", f, "-o", o, "-q"]),
        ("dimacs_gr", gr, lambda f, o: [weft, "import", "dimacs", f, co, "-o", o, "-q"]),
        ("dimacs_co", co, lambda f, o: [weft, "import", "dimacs", gr, f, "-o", o, "-q"]),
        ("osm_pbf", os.path.join(SHARED, "roads", "monaco.osm.pbf"),
         lambda f, o: [weft, "import", "osm", f, "-o", o, "-q"]),
    ]
    only = os.environ.get("ONLY", "").split(",") if os.environ.get("ONLY") else None
    faults = 0
    for name, seed, cmd_of in campaigns:
        if only and name not in only:
            continue
        src, counts = open(seed, "rb").read(), {}
        suffix = os.path.splitext(seed)[1]
        for i in range(n):
            f = os.path.join(outdir, "%s_%d%s" % (name, i, suffix))
            o = os.path.join(outdir, "out_%s.h5" % name)
            open(f, "wb").write(mutate(rng, src))
            v, err = verdict(cmd_of(f, o), o)
            counts[v] = counts.get(v, 0) + 1
            if v.startswith("FAULT"):
                faults += 1
                keep = os.path.join(outdir, "FOUND_%s_%d%s" % (name, i, suffix))
                shutil.copy(f, keep)
                with open(keep + ".txt", "w") as t:
                    t.write(v + "\n" + " ".join(cmd_of(keep, o)) + "\n" + err[-3000:])
                print(name, i, v, err.strip().split("\n")[0][:200] if err.strip() else "", flush=True)
            os.remove(f)
        print(name, counts, flush=True)
    sys.exit(1 if faults else 0)


if __name__ == "__main__":
    main()
