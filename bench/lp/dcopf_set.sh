#!/bin/sh
# The DC-OPF test set of bench/lp/iters.py: PGLib case118 and case300 over a 24-period day with
# storage and solar (bench/dispatch.py make_day), case1354, case2000 and case2869 single period,
# written as MPS by weft dispatch into DIR (default /tmp/dcopf).
# Usage: bench/lp/dcopf_set.sh [DIR]; then bench/lp/iters.py --tols 1e-4,1e-6 DIR/*.mps
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-/tmp/dcopf}
WEFT=$ROOT/build/weft
PGLIB=$ROOT/../shared/datasets/pglib-opf
PY=${PY:-$ROOT/bench/.venv/bin/python}   # with h5py, for make_day
mkdir -p "$DIR"
cd "$DIR"
for c in case118_ieee case300_ieee case1354_pegase case2000_goc case2869_pegase; do
    "$WEFT" import matpower "$PGLIB/pglib_opf_$c.m" -o $c.h5 -q
done
for c in case118_ieee case300_ieee; do
    "$PY" -c "import sys; sys.path.insert(0, '$ROOT/bench'); import dispatch; dispatch.make_day('$c.h5', '${c}_day.h5', 24)"
    "$WEFT" dispatch ${c}_day.h5 --periods 24 --write-mps ${c}_24.mps --iteration-limit 1 --device cpu -q || true
done
for c in case1354_pegase case2000_goc case2869_pegase; do
    "$WEFT" dispatch $c.h5 --periods 1 --write-mps ${c}_1.mps --iteration-limit 1 --device cpu -q || true
done
ls "$DIR"/*.mps
