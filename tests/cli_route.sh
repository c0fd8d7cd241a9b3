#!/bin/bash
# weft import cvrplib|solomon and weft route: JSON summary, results file, SVG (valid XML), exit codes,
# and no output file left behind on bad input.
set -u
WEFT=$1
ROOT=$2
DATA=$ROOT/../shared/datasets
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$WEFT" import cvrplib "$DATA/cvrplib-small/P-n16-k8.vrp" -o "$T/p16.h5" -q || fail "import cvrplib"
"$WEFT" route "$T/p16.h5" --iteration-limit 3000 --seed 4 --json -o "$T/res.h5" --svg "$T/map.svg" -q > "$T/out.json" \
    || fail "route exit $?"
python3 - "$T/out.json" <<'PY' || fail "json"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["status"] == "iteration_limit" and o["feasible"] is True, o
assert abs(o["cost"] - 450) < 1e-9, o["cost"]          # the known optimum
ids = sorted(c for r in o["routes"] for c in r)
assert ids == list(range(2, 17)), ids                   # node numbers of the file, depot is 1
assert o["vehicles"] == len(o["routes"]) and o["device"] == "cpu" and o["unserved"] == []
PY
h5dump -a /results/route/cost "$T/res.h5" | grep -q "450" || fail "results cost"
h5dump -d /results/route/visit_id "$T/res.h5" > /dev/null || fail "results visits"
if command -v xmllint > /dev/null; then
    xmllint --noout "$T/map.svg" || fail "svg is not valid XML"
else
    echo "SKIP xmllint: not installed"
fi
grep -q "<polyline" "$T/map.svg" || fail "svg has no routes"

# Solomon with windows; the exact-distance convention on request
"$WEFT" import solomon "$DATA/solomon/C101.txt" -o "$T/c101.h5" --rounding exact -q || fail "import solomon"
h5dump -a /logistics/distance_convention "$T/c101.h5" | grep -q exact || fail "convention attribute"
"$WEFT" route "$T/c101.h5" --time-limit 2 --json -q > "$T/c.json" || fail "route c101"
python3 -c "import json,sys; o=json.load(open('$T/c.json')); assert o['feasible'] and o['cost'] < 828.94*1.01, o['cost']" \
    || fail "c101 cost"

# bad input: exit 2, one-line message naming the file, no output file
"$WEFT" import cvrplib "$ROOT/tests/data/route/bad_negdemand.vrp" -o "$T/bad.h5" 2> "$T/err"
[ $? -eq 2 ] || fail "bad import exit code"
grep -q "bad_negdemand.vrp" "$T/err" || fail "message names the file"
[ ! -e "$T/bad.h5" ] || fail "partial output left"
ls "$T" | grep -q tmp && fail "temporary file left"
"$WEFT" route "$T/nothing.h5" 2> /dev/null
[ $? -eq 2 ] || fail "missing fleet file exit code"
"$WEFT" route "$T/p16.h5" --objective fastest 2> /dev/null
[ $? -eq 2 ] || fail "bad objective exit code"
"$WEFT" route "$T/p16.h5" --local-search steepest 2> /dev/null
[ $? -eq 2 ] || fail "bad local search exit code"
# the batched local search on the cpu backend reaches the optimum too
"$WEFT" route "$T/p16.h5" --iteration-limit 3000 --seed 4 --local-search batched --json -q > "$T/b.json" || fail "batched"
python3 -c "import json; o=json.load(open('$T/b.json')); assert abs(o['cost'] - 450) < 1e-9, o['cost']" || fail "batched cost"
"$WEFT" import gpx x.gpx -o "$T/x.h5" 2> /dev/null
[ $? -eq 2 ] || fail "unknown format exit code"
echo "cli_route: ok"
