#!/usr/bin/env bash
# Travel-time matrices on a generated road graph: weft's CPU backend against
# scipy.sparse.csgraph.dijkstra on the same graph (the /roads CSR arrays, read with h5py),
# 1000 x 1000 side by side, then the scaling over 100..2000 points.
#
#   bash bench/matrix/run.sh [NODES] [SEED]      (defaults: 200000 1)
#
# Writes bench/results/matrix/{roads.h5, points.txt, results.csv} and prints a markdown table.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
nodes="${1:-200000}"; seed="${2:-1}"
out="$root/bench/results/matrix"; mkdir -p "$out"
build="$root/build-bench"

bash "$root/bench/matrix/setup_venv.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" -j2 --target weft_cli > /dev/null
weft="$build/weft"

"$weft" import synthetic --nodes "$nodes" --seed "$seed" -o "$out/roads.h5" -q
"$root/bench/.venv/bin/python" "$root/bench/matrix/compare.py" --weft "$weft" --roads "$out/roads.h5" \
  --out "$out" --sizes 100,200,500,1000,2000 --side-by-side 1000
