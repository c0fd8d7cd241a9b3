#!/usr/bin/env bash
# weft run and weft import kunshan-job from the command line: the generated scenario at reduced
# size (results.h5 in the working directory, summary.json, plots), --json, exit code 2 with a
# one-line message and no output left on bad input, and `weft --help` / `weft COMMAND --help`
# agreeing with README.md. Usage: cli_run.sh WEFT ROOT
set -u
WEFT=$1
ROOT=$2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fails=0
check() { # check NAME COMMAND...
    local name=$1; shift
    if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }
SMALL=(--buses 30 --customers 12 --road-nodes 3000 --iteration-limit 500)

# no argument: the generated scenario, results in the working directory
(cd "$W" && "$WEFT" run "${SMALL[@]}" > table.txt 2> log.txt); rc=$?
check "run exits 0" test $rc -eq 0
for f in results.h5 summary.json routes.svg dispatch.svg battery.svg; do
    check "run writes $f" test -s "$W/$f"
done
check "table says synthetic" grep -q "SYNTHETIC" "$W/table.txt"
check "table has no late deliveries" grep -Eq "late deliveries +none" "$W/table.txt"
check "table shows the noon congestion" grep -q "congested at noon" "$W/table.txt"
check "progress on stderr" grep -q "travel-time matrix" "$W/log.txt"
check "results file marked synthetic" bash -c "h5dump -a /results/synthetic '$W/results.h5' | grep -q '(0): 1'"
check "results hold dispatch and routes" bash -c "h5ls '$W/results.h5/results' | grep -q dispatch && h5ls '$W/results.h5/results' | grep -q route"
check "no temporary files left" bash -c "! ls '$W' | grep -q -e tmp -e part"

# a job file, --json, -o into a directory
"$WEFT" import kunshan-job --buses 30 --customers 12 --road-nodes 3000 -o "$W/job.h5" -q; rc=$?
check "import kunshan-job exits 0" test $rc -eq 0
check "job file marked synthetic" bash -c "h5dump -a /synthetic '$W/job.h5' | grep -q '(0): 1'"
check "job file holds the matrix" bash -c "h5ls '$W/job.h5/logistics/matrix' | grep -q time_s"
mkdir "$W/out"
"$WEFT" run "$W/job.h5" -o "$W/out/r.h5" --iteration-limit 500 --json > "$W/out.json" 2> /dev/null; rc=$?
check "run JOB exits 0" test $rc -eq 0
check "JSON: dispatch optimal, routes feasible, none late" \
    test "$(json "$W/out.json" "(d['dispatch']['status'], d['routing']['feasible'], d['routing']['late'])")" = "('optimal', True, 0)"
check "summary.json beside the results" test -s "$W/out/summary.json"
check "same routing cost as the generated run with the same seed" \
    test "$(json "$W/out.json" "round(d['routing']['cost'], 6)")" = "$(json "$W/summary.json" "round(d['routing']['cost'], 6)")"

# bad input: exit 2, one line naming the file, nothing written
"$WEFT" import kunshan --nodes 1000 -o "$W/roads.h5" -q 2> /dev/null
"$WEFT" run "$W/roads.h5" -o "$W/bad.h5" 2> "$W/err.txt"; rc=$?
check "job without grid or logistics: exit 2" test $rc -eq 2
check "message names the file" grep -q "roads.h5: holds neither /grid nor /logistics" "$W/err.txt"
check "message is one line" test "$(wc -l < "$W/err.txt")" -eq 1
check "no results file" test ! -e "$W/bad.h5"
head -c 3000 "$W/job.h5" > "$W/truncated.h5"
"$WEFT" run "$W/truncated.h5" -o "$W/bad.h5" 2> "$W/err.txt"; rc=$?
check "truncated job: exit 2" test $rc -eq 2
check "truncated job: message names it" grep -q "truncated.h5" "$W/err.txt"
"$WEFT" run "$W/job.h5" --buses 40 2> /dev/null; rc=$?
check "generator option with a job file: exit 2" test $rc -eq 2
"$WEFT" run --buses 3 2> /dev/null; rc=$?
check "too few buses: exit 2" test $rc -eq 2
"$WEFT" run "$W/job.h5" -o "$W/nodir/r.h5" --iteration-limit 10 -q 2> /dev/null; rc=$?
check "unwritable output: exit 2" test $rc -eq 2
check "nothing left in the working dir by failures" bash -c "! ls '$W' | grep -q -e tmp -e part"

# help and README agree: every command has a section with an example, every option of each
# command's --help appears in its README section
for cmd in $("$WEFT" --help | awk '/^  [a-z]+ /{print $1}'); do
    section=$(awk -v h="### weft $cmd" '$0 == h {on = 1; next} /^##/ {on = 0} on' "$ROOT/README.md")
    check "README has a section for weft $cmd" test -n "$section"
    check "README shows an example of weft $cmd" bash -c "grep -q 'weft $cmd' <<< \"\$0\"" "$section"
    for opt in $("$WEFT" "$cmd" --help | grep -Eo -- '--[a-z-]+' | sort -u); do
        case $opt in --help|--print-options|--quiet|--verbose|--json|--threads|--no-cache|--device) continue ;; esac
        check "README documents weft $cmd $opt" bash -c "grep -q -- '$opt' <<< \"\$0\"" "$section"
    done
done

[ $fails -eq 0 ] && echo "cli_run: ok" || { echo "cli_run: $fails failed"; exit 1; }
