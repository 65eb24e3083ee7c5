#!/bin/sh
# The validation run of docs/validation.md, on a machine with an NVIDIA GPU: the quick and paper
# presets through the browser-free runner on the real adapter, each measured with nvidia-smi's
# power.draw (the default sensor) and, where the driver offers it, its energy counter; then the
# table. Every run starts from an empty profile folder, so its estimate is the catalog's, never
# one corrected by an earlier measurement. Writes into $OUT (default ./validation-out):
# device.txt, one JSON document per run, runs.log, table.md (7 files at most: a lent machine
# sends back 8).
#
# Without Node on the machine (the lab's lent H200): carry .device (scripts/node/device-bundle.sh)
# and, for the Vulkan loader, .gl (see the device notes); this script unpacks both.
set -u
OUT=${OUT:-./validation-out}
mkdir -p "$OUT"
if [ -f .device/lab-runtime.tar.xz ] && ! command -v node >/dev/null 2>&1; then
  mkdir -p .device/rt && xz -dc .device/lab-runtime.tar.xz | tar -C .device/rt -xf -
  [ -e node_modules ] || ln -s .device/rt/node_modules node_modules
  PATH="$PWD/.device/rt/bin:$PATH"
fi
if ls .gl/*.deb >/dev/null 2>&1 && ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$ICD" ] && export VK_DRIVER_FILES="$ICD"
{
  echo "# $(date -u +%F) $(uname -m)"
  nvidia-smi --query-gpu=name,driver_version,power.limit,pstate --format=csv
  nvidia-smi --query-gpu=index,power.draw,power.draw.instant,total_energy_consumption --format=csv 2>&1
  echo "node $(node --version 2>&1)"; ldconfig -p | grep libvulkan || echo 'no libvulkan.so.1'
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
} >"$OUT/device.txt" 2>&1
cat "$OUT/device.txt"
TSX=node_modules/.bin/tsx
run() { # preset, tag, extra args…
  preset=$1; tag=$2; shift 2
  LAB_PROFILE_DIR=$(mktemp -d) timeout "${RUN_TIMEOUT:-200}" node "$TSX" scripts/lab.ts --runtime node --real-gpu --preset "$preset" \
    --measure-power "$@" --out "$OUT/$preset-$tag.json" >"$OUT/run.tmp" 2>&1
  code=$?
  { echo "=== $preset $tag (exit $code)"; cat "$OUT/run.tmp"; } >>"$OUT/runs.log"
  echo "$preset $tag: exit $code ($(grep -m1 -E '^Measured' "$OUT/run.tmp" || tail -n1 "$OUT/run.tmp"))"
  rm -f "$OUT/run.tmp"
}
# The issue's own command first: the runner must pick nvidia:0 by itself on an NVIDIA adapter.
run quick power
run paper power
if nvidia-smi --query-gpu=total_energy_consumption --format=csv,noheader,nounits -i 0 | grep -qE '^[0-9]'; then
  run quick energy --power-sensor nvidia:0:energy
  run paper energy --power-sensor nvidia:0:energy
fi
name=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader -i 0 | sed 's/, /, driver /')
ls "$OUT"/*.json >/dev/null 2>&1 && node "$TSX" scripts/validation-table.ts --device "$name" "$OUT"/*.json | tee "$OUT/table.md"
