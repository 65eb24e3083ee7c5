#!/bin/sh
# Packs what the browser-free runner needs on a GPU machine that has neither Node nor a network
# (the lab's lent H200, for docs/validation.md): this machine's Node binary and node_modules
# without what the runner never loads (the browser, test, lint and build tools, other platforms'
# Dawn builds), into .device/lab-runtime.tar.xz, kept out of git. The repository's own files
# travel with the working tree; carry `.device` (and `.gl`, the Vulkan loader) beside them and
# unpack there with scripts/node/validate-gpu.sh. x86-64 Linux only, like the machine.
set -eu
cd "$(dirname "$0")/../.."
[ "$(uname -m)" = x86_64 ] || { echo "device-bundle: build it on x86-64 (the GPU machine's processor)" >&2; exit 2; }
exclude="$(git rev-parse --git-path info/exclude)"
grep -qx '/.device/' "$exclude" 2>/dev/null || echo '/.device/' >>"$exclude"
mkdir -p .device
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin"
cp "$(command -v node)" "$stage/bin/node"
tar -C . -cf - \
  --exclude='node_modules/webgpu/dist/darwin-*' --exclude='node_modules/webgpu/dist/win32-*' --exclude='node_modules/webgpu/dist/linux-arm64' \
  --exclude='node_modules/onnxruntime-web' --exclude='node_modules/onnx-proto' --exclude='node_modules/@electric-sql' \
  --exclude='node_modules/typescript' --exclude='node_modules/@rolldown' --exclude='node_modules/happy-dom' \
  --exclude='node_modules/playwright' --exclude='node_modules/playwright-core' --exclude='node_modules/lightningcss*' \
  --exclude='node_modules/@typescript-eslint' --exclude='node_modules/typescript-eslint' --exclude='node_modules/eslint*' \
  --exclude='node_modules/knip' --exclude='node_modules/oxc-*' --exclude='node_modules/@oxc-*' --exclude='node_modules/axe-core' \
  --exclude='node_modules/vitest' --exclude='node_modules/@vitest' --exclude='node_modules/vite' --exclude='node_modules/.vite' \
  --exclude='node_modules/.cache' \
  node_modules | tar -C "$stage" -xf -
tar -C "$stage" -cf - bin node_modules | xz -T0 -6 >.device/lab-runtime.tar.xz
ls -l .device/lab-runtime.tar.xz
