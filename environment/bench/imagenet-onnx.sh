#!/usr/bin/env bash
# ImageNet ONNX models for `./ghn4j bench ghn3` and notebook 09: torchvision exports (opset 14, BatchNorm kept) into
# the git-ignored data/cache/onnx/. Needs Debian's python3-torch and python3-torchvision (apt-get install
# python3-torchvision). Usage: environment/bench/imagenet-onnx.sh [model names; default: resnet50 vit_b_16]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${GHN4J_ONNX_CACHE:-$root/data/cache/onnx}"
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(resnet50 vit_b_16)
py=/usr/bin/python3
if ! "$py" -c 'import torch, torchvision' 2>/dev/null; then
  echo "imagenet-onnx.sh: $py cannot import torch and torchvision (apt-get install python3-torchvision)" >&2
  exit 2
fi
exec "$py" "$root/environment/bench/export_imagenet_onnx.py" "$out" "${models[@]}"
