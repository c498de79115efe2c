#!/usr/bin/env bash
# Side by side on this machine: eval (4 test nets, 200 CIFAR-10 test images, the released GHN-2) and meta-training
# (meta-batch 8, batch 64, 2 steps) in one JVM and as Spark jobs on local[2]; the eval also on the loopback standalone
# cluster (environment/spark-cluster.sh: two workers of one core). Prints wall times and the barrier exchange table; the
# output is kept in data/results/bench/spark-<date>-<time>.txt. Needs CIFAR-10 in data/ and both modules built.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="${GHN4J_BENCH_DIR:-$root/data/results/bench}/spark-$(date +%Y%m%d-%H%M%S).txt"
mkdir -p "$(dirname "$out")"
work="$(mktemp -d /tmp/ghn4j-spark-bench.XXXXXX)"
export GHN4J_SPARK_STATE="$work/cluster" GHN4J_SPARK_PORT="${GHN4J_SPARK_PORT:-17177}"
trap 'environment/spark-cluster.sh stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
# CKPT: the GHN to evaluate (the output of 2026-12-06T02:38 is of ghn2-cifar10-cpu2h, the release of that day); the
# default is the current release, the first of GhnSource.RELEASES
ckpt="${CKPT:-data/checkpoints/ghn2-cifar10-cpu-v2-dropout.safetensors}"
eval_args=(--ckpt "$ckpt" --split test --nets 4 --images 200 --ghn4j-nets --nets-root "$work/no-splits")
train_args=(-m 8 -b 64 --steps 2 --log-every 1)
timed() { local s e; s=$(date +%s%N); "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  e=$(date +%s%N); printf '%d.%01d' $(( (e - s) / 1000000000 )) $(( (e - s) / 100000000 % 10 )); }
{
  echo "# spark side by side, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), GHN $ckpt"
  t=$(timed ./ghn4j eval "${eval_args[@]}" --out "$work/eval-jvm"); echo "eval, one JVM (GHN4J_THREADS=${GHN4J_THREADS:-$(nproc)}): $t s"
  t=$(timed ./ghn4j eval --spark --master 'local[2]' "${eval_args[@]}" --out "$work/eval-local"); echo "eval --spark local[2]: $t s"
  master="$(environment/spark-cluster.sh start | tail -1)"
  t=$(timed ./ghn4j eval --spark --master "$master" "${eval_args[@]}" --out "$work/eval-cluster"); echo "eval --spark $master (2 workers x 1 core): $t s"
  for d in eval-local eval-cluster; do
    if diff <(cut -d, -f1-5 "$work/eval-jvm/results.csv") <(cut -d, -f1-5 "$work/$d/results.csv") >/dev/null; then
      echo "  $d/results.csv: same nets and accuracies as one JVM"; else echo "  $d/results.csv: DIFFERS from one JVM"; fi
  done
  t=$(timed ./ghn4j train "${train_args[@]}" --no-progress --run-dir "$work/train-jvm"); echo "train 2 steps, one JVM: $t s"
  grep -o '"s_per_step":[0-9.]*' "$work/train-jvm/metrics.jsonl" | tr '\n' ' '; echo
  t=$(timed ./ghn4j train --spark --master 'local[2]' --tasks 2 "${train_args[@]}" --run-dir "$work/train-local")
  echo "train 2 steps --spark local[2], 2 barrier tasks: $t s"; sed -n '/^step  loss/,/^done/p' "$work/last.log"
} | tee "$out"
echo "kept in $out"
