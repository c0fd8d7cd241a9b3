#!/usr/bin/env bash
# weft devices: the table lists the cpu backend; --json is a JSON array whose last entry is the
# cpu backend and whose OpenCL entries carry the fields the docs promise; no ICD is not an error.
set -euo pipefail
weft="$1"
out="$("$weft" devices)"
echo "$out"
grep -q '^cpu ' <<<"$out"
"$weft" devices --json > "${TMPDIR:-/tmp}/weft-devices-$$.json"
trap 'rm -f "${TMPDIR:-/tmp}/weft-devices-$$.json"' EXIT
python3 - "${TMPDIR:-/tmp}/weft-devices-$$.json" <<'PY'
import json, sys
devs = json.load(open(sys.argv[1]))
assert isinstance(devs, list) and devs, devs
assert devs[-1]["spec"] == "cpu" and devs[-1]["backend"] == "cpu", devs[-1]
for d in devs[:-1]:
    for key in ("spec", "platform_name", "name", "vendor", "driver", "version", "type",
                "compute_units", "global_mem_bytes", "fp64"):
        assert key in d, (key, d)
    assert d["spec"] == "cl:%d:%d" % (d["platform"], d["device"]), d
print("cli_devices: %d device(s), json ok" % len(devs))
PY
# no OpenCL platform at all (the ICD loader finds no vendor): only the cpu backend, not an error
OCL_ICD_VENDORS=/nonexistent "$weft" devices --json | python3 -c '
import json, sys
devs = json.load(sys.stdin)
assert [d["spec"] for d in devs] == ["cpu"], devs
print("cli_devices: without an ICD only the cpu backend is listed")'
# a broken ICD entry beside the real ones hides nothing
if compgen -G "/etc/OpenCL/vendors/*.icd" >/dev/null; then
  icd="$(mktemp -d)"
  cp /etc/OpenCL/vendors/*.icd "$icd/"
  echo /nonexistent/libweft-broken-icd.so > "$icd/broken.icd"
  n_ok="$("$weft" devices --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
  n_broken="$(OCL_ICD_VENDORS="$icd" "$weft" devices --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
  rm -rf "$icd"
  [ "$n_ok" = "$n_broken" ] || { echo "a broken ICD entry changed the list: $n_ok -> $n_broken"; exit 1; }
  echo "cli_devices: a broken ICD entry is ignored"
else
  echo "SKIP broken-ICD case: no /etc/OpenCL/vendors/*.icd"
fi
# a positional argument is a usage error (exit 2)
set +e
"$weft" devices extra 2>/dev/null
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "expected exit 2 for a stray argument, got $rc"; exit 1; }
