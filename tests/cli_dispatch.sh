#!/usr/bin/env bash
# weft import matpower and weft dispatch end to end: exit codes, JSON summary, results file,
# MPS export, and clear one-line errors with exit code 2 on bad input. Usage: cli_dispatch.sh WEFT ROOT
set -u
WEFT=$1
ROOT=$2
CASE=$ROOT/../shared/datasets/pglib-opf/pglib_opf_case14_ieee.m
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fails=0
check() { # check NAME CONDITION...
    local name=$1; shift
    if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

"$WEFT" import matpower "$CASE" -o "$W/c14.h5" -q; rc=$?
check "import exits 0" test $rc -eq 0
check "import writes the grid" test -s "$W/c14.h5"

"$WEFT" dispatch "$W/c14.h5" --model powermodels --tol 1e-8 --json -o "$W/res.h5" --write-mps "$W/c14.mps" > "$W/out.json" 2> "$W/err.txt"; rc=$?
check "dispatch exits 0" test $rc -eq 0
check "JSON status optimal" test "$(json "$W/out.json" "d['status']")" = optimal
check "JSON objective is BASELINE's 2.0515e+03" test "$(json "$W/out.json" "'%.4e' % d['objective']")" = 2.0515e+03
check "JSON has sizes, device, time, LMP range" test "$(json "$W/out.json" "all(k in d for k in ('buses','rows','cols','device','time_s','lmp_min','lmp_max'))")" = True
check "results file has LMPs" bash -c "h5ls '$W/res.h5/results/dispatch/bus/lmp' > /dev/null"
check "MPS written" test -s "$W/c14.mps"
if command -v clp > /dev/null; then
    check "Clp solves the MPS export" bash -c "clp '$W/c14.mps' -dualsimplex | grep -q '^Optimal objective'"
else
    echo "SKIP clp: not installed, the MPS export is not cross-checked"
fi

"$WEFT" dispatch "$W/c14.h5" --periods 3 --tol 1e-8 --json > "$W/p3.json" 2> /dev/null; rc=$?
check "3 periods exit 0" test $rc -eq 0
check "3 periods cost 3 times one" python3 -c "
import json; a=json.load(open('$W/out.json')); b=json.load(open('$W/p3.json'))
assert b['periods'] == 3 and abs(b['objective'] - 3 * a['objective']) <= 1e-6 * b['objective'], (a, b)"

# bad input: exit 2, one line naming the file, no output left behind
"$WEFT" import matpower "$W/missing.m" -o "$W/x.h5" 2> "$W/err.txt"; rc=$?
check "missing .m exits 2" test $rc -eq 2
check "missing .m named" grep -q "missing.m" "$W/err.txt"
head -n 40 "$CASE" > "$W/cut.m" # inside mpc.bus
"$WEFT" import matpower "$W/cut.m" -o "$W/cut.h5" 2> "$W/err.txt"; rc=$?
check "truncated .m exits 2" test $rc -eq 2
check "truncated .m says where" grep -q "cut.m:[0-9]*: .*truncated" "$W/err.txt"
check "no output left for a failed import" test ! -e "$W/cut.h5"
check "one-line error" test "$(wc -l < "$W/err.txt")" -eq 1
"$WEFT" import nosuchformat "$CASE" -o "$W/x.h5" 2> /dev/null; rc=$?
check "unknown format exits 2" test $rc -eq 2
"$WEFT" dispatch "$CASE" 2> "$W/err.txt"; rc=$?
check "dispatch of a non-HDF5 file exits 2" test $rc -eq 2
check "dispatch error names the file" grep -q "pglib_opf_case14_ieee.m" "$W/err.txt"
"$WEFT" dispatch "$W/c14.h5" --model bogus 2> /dev/null; rc=$?
check "unknown --model exits 2" test $rc -eq 2
"$WEFT" dispatch "$W/c14.h5" -o "$W/nodir/res.h5" -q 2> /dev/null; rc=$?
check "unwritable output exits 2" test $rc -eq 2

exit $((fails > 0))
