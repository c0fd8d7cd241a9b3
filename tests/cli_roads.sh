#!/usr/bin/env bash
# weft import osm|dimacs|synthetic and weft matrix end to end: outputs, exit codes, no partial files.
set -u
W="$1"; ROOT="$2"
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
fails=0; passes=0
check() { # check NAME EXPECTED_RC ACTUAL_RC
  if [ "$2" = "$3" ]; then passes=$((passes+1)); else echo "FAIL $1: exit $3, expected $2"; fails=$((fails+1)); fi
}
"$W" import synthetic --nodes 5000 --seed 4 -o "$T/s.h5" -q; check synthetic 0 $?
"$W" import dimacs "$ROOT/tests/data/roads/small.gr" "$ROOT/tests/data/roads/small.co" -o "$T/d.h5" --json > "$T/d.json"; check dimacs 0 $?
grep -q '"nodes":5' "$T/d.json"; check dimacs-json 0 $?
"$W" import dimacs "$ROOT/tests/data/roads/bad_truncated.gr" -o "$T/bad.h5" 2> "$T/err"; check dimacs-bad 2 $?
grep -q 'bad_truncated.gr' "$T/err"; check dimacs-bad-message 0 $?
[ ! -e "$T/bad.h5" ] && ! ls "$T"/bad.h5.tmp* >/dev/null 2>&1; check no-partial-file 0 $?
"$W" import nosuch x -o "$T/x.h5" 2>/dev/null; check unknown-format 2 $?
"$W" import dimacs "$ROOT/tests/data/roads/small.gr" 2>/dev/null; check missing-output 2 $?
if [ -r "$ROOT/../shared/datasets/roads/monaco.osm.pbf" ]; then
  "$W" import osm "$ROOT/../shared/datasets/roads/monaco.osm.pbf" -o "$T/m.h5" -q; check osm 0 $?
  printf '7.4200 43.7370\n7.4300 43.7400\n7.4100 43.7300\n' > "$T/ll.txt"
  "$W" matrix "$T/m.h5" --points "$T/ll.txt" --json -q > "$T/m.json"; check matrix-lonlat 0 $?
  grep -q '"unreachable_pairs":0' "$T/m.json"; check matrix-lonlat-reachable 0 $?
else
  echo "SKIP osm: ../shared/datasets/roads/monaco.osm.pbf not present"
fi
# ids 1..4 of the DIMACS graph; 5 is isolated: 4 + 4 unreachable pairs
printf '1\n2\n3\n4\n5\n' > "$T/ids.txt"
"$W" matrix "$T/d.h5" --points "$T/ids.txt" -o "$T/mx.h5" --json -q > "$T/mx.json"; check matrix-ids 0 $?
grep -q '"unreachable_pairs":8' "$T/mx.json"; check matrix-unreachable-count 0 $?
[ -s "$T/mx.h5" ]; check matrix-output 0 $?
printf '1\n77\n' > "$T/badids.txt"
"$W" matrix "$T/d.h5" --points "$T/badids.txt" -o "$T/mbad.h5" 2> "$T/err"; check matrix-bad-id 2 $?
grep -q 'line 2: no node with id 77' "$T/err"; check matrix-bad-id-message 0 $?
[ ! -e "$T/mbad.h5" ]; check matrix-no-output-on-error 0 $?
"$W" matrix "$T/nosuch.h5" --points "$T/ids.txt" 2>/dev/null; check matrix-missing-roads 2 $?
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
