#!/usr/bin/env bash
# weft lp from the command line: exit codes (0 optimal, 2 bad input or usage, 3 infeasible), one-line
# errors naming the file, --json parses and carries the promised fields, -o writes the solution and
# leaves no file behind when it cannot.
set -uo pipefail
weft="$1"; root="$2"
shared="$root/../shared/datasets"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail=0
expect() { # expect CODE DESCRIPTION -- command...
  local want="$1" what="$2"; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL $what: exit $got, wanted $want"; cat "$tmp/err"; fail=1
  else echo "ok   $what (exit $got)"; fi
}

expect 0 "afiro solves" -- "$weft" lp "$shared/netlib/afiro.mps" --tol 1e-8 --json -q --device cpu
python3 - "$tmp/out" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("status", "objective", "iterations", "matvecs", "tolerance", "time_s", "device", "rows", "cols"):
    assert k in d, k
assert d["status"] == "optimal" and abs(d["objective"] + 464.75314286) < 1e-5 * 464.75, d
t = d["tolerance"]
assert t["requested_rel"] == 1e-8 and max(t["primal_residual_rel"], t["dual_residual_rel"], t["gap_rel"]) <= 1e-8, t
print("ok   json fields and tolerance met")
PY

# the solution file: x, y, reduced costs, row activities, names
expect 0 "writes SOL.h5" -- "$weft" lp "$shared/netlib/afiro.mps" -o "$tmp/sol.h5" -q
for d in x y reduced_cost row_activity column_name row_name; do
  h5dump -H -d "/results/lp/$d" "$tmp/sol.h5" >/dev/null 2>&1 || { echo "FAIL sol.h5 lacks /results/lp/$d"; fail=1; }
done

# --write-presolved: a smaller MPS that solves, as given, to afiro's optimum
expect 0 "writes the presolved afiro" -- "$weft" lp "$shared/netlib/afiro.mps" --write-presolved "$tmp/red.mps"
grep -q "to 20, 28," "$tmp/err" || { echo "FAIL presolved size not reported as 20 x 28:"; cat "$tmp/err"; fail=1; }
expect 0 "presolved afiro solves" -- "$weft" lp "$tmp/red.mps" --no-presolve --tol 1e-8 --json -q --device cpu
python3 - "$tmp/out" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["rows"], d["cols"]) == (20, 28) and abs(d["objective"] + 464.75314286) < 1e-5 * 464.75, d
print("ok   presolved afiro: 20 x 28, same optimum")
PY
expect 2 "unwritable presolved file" -- "$weft" lp "$shared/netlib/afiro.mps" --write-presolved "$tmp/no/such/dir/r.mps"
ls "$tmp/no" >/dev/null 2>&1 && { echo "FAIL a directory or file was left behind"; fail=1; }

expect 3 "infeasible LP exits 3" -- "$weft" lp "$shared/netlib-infeasible/itest6.mps" -q
for f in "$root"/tests/data/mps/bad/*.mps; do
  expect 2 "malformed $(basename "$f")" -- "$weft" lp "$f" -q
  lines=$(wc -l <"$tmp/err")
  if [ "$lines" != 1 ] || ! grep -q "$(basename "$f")" "$tmp/err"; then
    echo "FAIL $(basename "$f"): error is not one line naming the file:"; cat "$tmp/err"; fail=1
  fi
done
expect 2 "missing file" -- "$weft" lp "$tmp/nope.mps"
expect 2 "bad tolerance" -- "$weft" lp "$shared/netlib/afiro.mps" --tol abc
expect 2 "negative time limit" -- "$weft" lp "$shared/netlib/afiro.mps" --time-limit -1
expect 2 "unknown option" -- "$weft" lp "$shared/netlib/afiro.mps" --frobnicate
expect 2 "no file" -- "$weft" lp
expect 2 "unknown device" -- "$weft" lp "$shared/netlib/afiro.mps" --device gpu7
expect 2 "unwritable output" -- "$weft" lp "$shared/netlib/afiro.mps" -o "$tmp/no/such/dir/sol.h5" -q
ls "$tmp/no" >/dev/null 2>&1 && { echo "FAIL a directory or file was left behind"; fail=1; }
expect 1 "iteration limit exits 1" -- "$weft" lp "$shared/netlib/25fv47.mps" --iteration-limit 100 -q
exit $fail
