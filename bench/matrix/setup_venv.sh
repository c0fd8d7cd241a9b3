#!/usr/bin/env bash
# Creates bench/.venv with scipy, numpy and h5py from PyPI (bench only; the engine needs none of it).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -c "import scipy, h5py, numpy" 2>/dev/null ||
  "$here/.venv/bin/pip" install --quiet numpy scipy h5py
