#!/usr/bin/env bash
# How libgomp's idle OpenMP workers wait, side by side: GHN prediction (./ghn4j bench ghn) and meta-training steps
# (./ghn4j bench-train -m 1) with GHN4J_THREADS intra-op threads (default 2), OMP_WAIT_POLICY=ACTIVE (idle workers
# spin) and PASSIVE (they sleep at once; ./ghn4j's default since 2026-12-06 — libgomp's own default, without the
# variable, spins a while before it sleeps). Run it on a quiet machine and again beside other work: on a
# busy 2-core machine the spinning workers take the cores the working ones need. The output is kept in
# data/results/bench/omp-wait-<date>-<time>.txt. Needs CIFAR-10 in data/ and the jar built.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="${GHN4J_BENCH_DIR:-$root/data/results/bench}/omp-wait-$(date +%Y%m%d-%H%M%S).txt"
mkdir -p "$(dirname "$out")"
export GHN4J_THREADS="${GHN4J_THREADS:-2}"
{
  echo "# OMP_WAIT_POLICY side by side, $(date -u +%FT%TZ), $(nproc) cores, GHN4J_THREADS=$GHN4J_THREADS," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
  for policy in ACTIVE PASSIVE; do
    echo "## OMP_WAIT_POLICY=$policy"
    run=(env OMP_WAIT_POLICY="$policy")
    "${run[@]}" ./ghn4j bench ghn 2>&1 | grep -E "^(case|ResNet-50|ViT|DeepNets)"
    "${run[@]}" /usr/bin/time -f "bench-train process: user %U s, system %S s, wall %e s" \
      ./ghn4j bench-train -m 1 -b 64 --steps 30 2>&1 | grep -Ev "^(step|WARNING)" | tail -n 6
  done
  echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "written $out" >&2
