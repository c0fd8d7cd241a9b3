#!/usr/bin/env bash
# weft bench: the quick suite on the cpu backend as JSON (every field the docs promise, every
# median positive and finite), on PoCL's cl:cpu when there, as CSV (a header and one row per item),
# the usage errors (exit 2, one line), and bench/compare.py on two outputs.
set -euo pipefail
weft="$1"
root="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
items="copy spmv pdhg_iteration sssp vrp_moves vrp_ls dispatch routing"

"$weft" bench --quick --device cpu --json -q > "$tmp/cpu.json"
python3 - "$tmp/cpu.json" "$items" <<'PY'
import json, math, sys
doc = json.load(open(sys.argv[1]))
want = sys.argv[2].split()
m = doc["machine"]
for key in ("hostname", "cpu", "cores", "date", "weft_version", "commit"):
    assert key in m, ("machine", key)
assert m["cores"] >= 1, m
assert doc["suite"]["size"] == "quick" and doc["suite"]["repeat"] == 5, doc["suite"]
devs = doc["devices"]
assert [d["spec"] for d in devs] == ["cpu"], [d["spec"] for d in devs]
d = devs[0]
for key in ("name", "vendor", "driver", "compute_units", "global_mem_bytes", "fp64", "description",
            "copy_gbs", "items"):
    assert key in d, ("device", key)
assert "error" not in d, d["error"]
assert d["fp64"] is True and d["compute_units"] >= 1 and d["global_mem_bytes"] > 0, d
assert math.isfinite(d["copy_gbs"]) and d["copy_gbs"] > 0, d["copy_gbs"]
names = [it["name"] for it in d["items"]]
assert names == want, names
for it in d["items"]:
    for key in ("median_s", "min_s", "max_s", "reps", "bytes", "gbs", "ratio_to_copy"):
        assert key in it, (it["name"], key)
    assert it["reps"] == 5, it
    assert math.isfinite(it["median_s"]) and it["median_s"] > 0, it
    assert 0 < it["min_s"] <= it["median_s"] <= it["max_s"], it
    if it["name"] in ("copy", "spmv", "pdhg_iteration"):
        assert it["bytes"] > 0 and it["gbs"] > 0 and it["ratio_to_copy"] > 0, it
        assert abs(it["gbs"] - it["bytes"] / it["median_s"] / 1e9) <= 1e-3 * it["gbs"], it
        assert it["byte_model"], it
    else:
        assert it["bytes"] is None and it["gbs"] is None, it
by = {it["name"]: it for it in d["items"]}
assert by["spmv"]["nnz"] > 0 and by["pdhg_iteration"]["nnz"] == by["spmv"]["nnz"], by["spmv"]
assert by["dispatch"]["optimal"] == 1 and by["dispatch"]["iterations"] > 0, by["dispatch"]
assert by["routing"]["feasible"] == 1 and by["routing"]["cost"] > 0, by["routing"]
assert by["vrp_moves"]["moves"] > 0 and by["sssp"]["sources"] > 0, (by["vrp_moves"], by["sssp"])
assert by["vrp_ls"]["moves"] > 0 and by["vrp_ls"]["moves_per_s"] > 0, by["vrp_ls"]
print("cli_bench: cpu json ok: %s" % ", ".join("%s %.3g s" % (n, by[n]["median_s"]) for n in names))
PY

# the same seed gives the same routing answer: the suite times identical work on every run
"$weft" bench --quick --device cpu --json -q --repeat 1 > "$tmp/cpu1.json"
python3 - "$tmp/cpu.json" "$tmp/cpu1.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["devices"][0]["items"] for p in sys.argv[1:])
ra = [it for it in a if it["name"] == "routing"][0]
rb = [it for it in b if it["name"] == "routing"][0]
assert ra["cost"] == rb["cost"], (ra["cost"], rb["cost"])
assert [it["reps"] for it in b] == [1] * len(b), b
print("cli_bench: --repeat 1 ok, routing cost %.2f both times" % ra["cost"])
PY

if "$weft" devices --json | python3 -c '
import json, sys
sys.exit(0 if any(d["type"] == "cpu" and d["backend"] == "opencl" and d["fp64"] for d in json.load(sys.stdin)) else 1)'; then
  "$weft" bench --quick --device cl:cpu --json -q > "$tmp/cl.json"
  python3 - "$tmp/cl.json" "$items" "$tmp/cpu.json" <<'PY'
import json, math, sys
doc = json.load(open(sys.argv[1]))
d, = doc["devices"]
assert d["backend"] == "opencl" and d["spec"].startswith("cl:"), d["spec"]
assert [it["name"] for it in d["items"]] == sys.argv[2].split()
assert all(math.isfinite(it["median_s"]) and it["median_s"] > 0 for it in d["items"])
# the same work on both devices: same seed, same search, same answers
cpu = {it["name"]: it for it in json.load(open(sys.argv[3]))["devices"][0]["items"]}
cl = {it["name"]: it for it in d["items"]}
assert cl["routing"]["cost"] == cpu["routing"]["cost"], (cl["routing"], cpu["routing"])
assert cl["vrp_moves"]["moves"] == cpu["vrp_moves"]["moves"], (cl["vrp_moves"], cpu["vrp_moves"])
assert cl["vrp_ls"]["moves"] == cpu["vrp_ls"]["moves"], (cl["vrp_ls"], cpu["vrp_ls"])
assert cl["dispatch"]["optimal"] == 1 and abs(cl["dispatch"]["lp_objective"] - cpu["dispatch"]["lp_objective"]) \
    <= 1e-3 * abs(cpu["dispatch"]["lp_objective"]), (cl["dispatch"], cpu["dispatch"])
print("cli_bench: %s (%s) json ok, routing cost %.2f as on cpu" % (d["spec"], d["name"], cl["routing"]["cost"]))
PY
  cl="$tmp/cl.json"
else
  echo "SKIP cl:cpu: no OpenCL CPU device with fp64 (PoCL)"
  cl="$tmp/cpu1.json"
fi

# CSV: a header, then one row per item
"$weft" bench --quick --device cpu --csv -q --repeat 1 > "$tmp/cpu.csv"
python3 - "$tmp/cpu.csv" "$items" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
head, body = rows[0], rows[1:]
for key in ("device", "item", "median_s", "gbs", "ratio_to_copy", "copy_gbs"):
    assert key in head, key
assert [r[head.index("item")] for r in body] == sys.argv[2].split(), body
assert all(len(r) == len(head) for r in body)
assert all(float(r[head.index("median_s")]) > 0 for r in body)
print("cli_bench: csv ok (%d rows)" % len(body))
PY

# usage errors: exit 2 and one line on stderr, nothing on stdout
expect_usage() {
  set +e
  "$weft" bench "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  set -e
  [ "$rc" -eq 2 ] || { echo "weft bench $*: expected exit 2, got $rc"; cat "$tmp/err"; exit 1; }
  [ "$(wc -l < "$tmp/err")" -eq 1 ] || { echo "weft bench $*: expected one line:"; cat "$tmp/err"; exit 1; }
  [ ! -s "$tmp/out" ] || { echo "weft bench $*: printed on stdout"; exit 1; }
  echo "cli_bench: $* -> exit 2: $(cat "$tmp/err")"
}
expect_usage --device nope
expect_usage --repeat 0
expect_usage --json --csv
expect_usage --device cpu --device nope

# compare.py: every item of both outputs in its table
python3 "$root/bench/compare.py" "$tmp/cpu.json" "$cl" > "$tmp/cmp.txt"
cat "$tmp/cmp.txt"
for it in $items; do
  grep -q "^$it " "$tmp/cmp.txt" || { echo "compare.py: no row for $it"; exit 1; }
done
python3 "$root/bench/compare.py" "$tmp/cpu.json" "$cl" --a cpu --b "$(python3 -c '
import json, sys; print(json.load(open(sys.argv[1]))["devices"][0]["spec"])' "$cl")" --csv > "$tmp/cmp.csv"
[ "$(wc -l < "$tmp/cmp.csv")" -eq 9 ] || { echo "compare.py --csv: expected a header and 8 rows"; cat "$tmp/cmp.csv"; exit 1; }
# an item only one side has is named as missing
python3 - "$tmp/cpu.json" "$tmp/short.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["devices"][0]["items"] = [it for it in doc["devices"][0]["items"] if it["name"] != "routing"]
json.dump(doc, open(sys.argv[2], "w"))
PY
python3 "$root/bench/compare.py" "$tmp/cpu.json" "$tmp/short.json" > "$tmp/cmp2.txt"
grep -q "^routing .*missing in B" "$tmp/cmp2.txt" || { echo "compare.py: the missing item is not named"; exit 1; }
set +e
python3 "$root/bench/compare.py" "$tmp/cpu.json" "$tmp/cpu.csv" 2> "$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "compare.py on a CSV file: expected exit 2, got $rc"; exit 1; }
echo "cli_bench: compare.py ok"
