#!/usr/bin/env bash
# The "quality at equal CPU budget" grid of notebook 07 (issues #5 and the GHN-2 ablations): trains each GHN variant for
# the same process CPU time (./ghn4j train --cpu-minutes), one at a time on one PyTorch thread, niced, then evaluates
# it on the same first NETS DeepNets-1M test nets x IMAGES stratified CIFAR-10 test images (./ghn4j eval).
#
#   environment/ablations-cpu.sh [CPU_MINUTES | <N>steps [OUT_DIR [VARIANT[@sSEED] ...]]]
#
# A budget written <N>steps (e.g. 700steps) trains every variant for exactly N steps instead (--steps N): for recipes
# whose step costs the same CPU (LR, schedule, warm-up, clipping, seed) that is the same CPU budget without the noise a
# busy machine adds to CPU-time budgets (the 5-CPU-minute study saw 144 to 227 steps of the same recipe).
#
# A variant name may end in @s<SEED> (e.g. m1-lr3e-3@s2): the same recipe trained with --seed SEED in its own run
# directory <OUT_DIR>/<name>@s<SEED>; without it the trainer's default seed is used. The recipe study of issue #19
# (notebook 07) runs every variant with seeds 1 and 2 to give standard errors over seeds.
#
# Defaults: 3 CPU minutes, data/runs/ablations-cpu<minutes>/, every variant below, NETS=10 test nets, IMAGES=1000 test
# images. A variant whose evaluation finished is skipped and one whose training finished (ghn.safetensors is written
# only at the end) is only evaluated, so re-running the script continues the grid. Summarise into a results CSV with
# RecipeStudy.collect (notebook 07 does it). Runs with jemalloc like ./ghn4j when it is installed. Uses JAR (default
# lib/target/ghn4j.jar: copy it elsewhere when you rebuild the library while the grid runs) and the CIFAR-10 cache in
# DATA_DIR (default data/). Without variant names: the eight ablation variants (the recipe study names its runs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cpu="${1:-3}"
if [[ "$cpu" =~ ^([0-9]+)steps$ ]]; then
  budget_opt="--steps ${BASH_REMATCH[1]}"
  out="${2:-$root/data/runs/ablations-$cpu}"
elif [[ "$cpu" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  budget_opt="--cpu-minutes $cpu"
  out="${2:-$root/data/runs/ablations-cpu$cpu}"
else
  echo "budget $cpu: give CPU minutes (e.g. 5) or a step count (e.g. 700steps)" >&2
  exit 2
fi
shift $(( $# > 2 ? 2 : $# ))
jar="${JAR:-$root/lib/target/ghn4j.jar}"
data="${DATA_DIR:-$root/data}"
nets="${NETS:-10}"
images="${IMAGES:-1000}"

# name -> ./ghn4j train options. The reference is GHN-2 with meta-batch 8 (the paper); the ablations switch one part
# off the meta-batch-1 recipe, which takes the most steps in a small CPU budget.
declare -A opts=(
  [ghn2-m8]="--preset ghn2 -m 8"
  [ghn2-m4]="--preset ghn2 -m 4"
  [ghn2-m1]="--preset ghn2 -m 1"
  [m1-no-ve]="--preset ghn2 -m 1 --no-ve"
  [m1-no-weight-norm]="--preset ghn2 -m 1 --no-weight-norm"
  [m1-no-ln]="--preset ghn2 -m 1 --no-ln"
  [ghn1-m1]="--preset ghn1 -m 1"
  [mlp-m1]="--preset mlp -m 1"
  # The recipe study (issue #19): one knob changed off the meta-batch-1 recipe (lr 1e-3, 64 images, hid 32, clip 5).
  [m1]="--preset ghn2 -m 1"
  [m2]="--preset ghn2 -m 2"
  [m1-lr3e-3]="--preset ghn2 -m 1 --lr 3e-3"
  [m1-lr3e-4]="--preset ghn2 -m 1 --lr 3e-4"
  [m1-b32]="--preset ghn2 -m 1 -b 32"
  [m1-b128]="--preset ghn2 -m 1 -b 128"
  [m1-hid64]="--preset ghn2 -m 1 --hid 64"
  [m1-clip1]="--preset ghn2 -m 1 --grad-clip 1"
  # knobs added for the study: LR schedule shape and warm-up, capped net sampling (C = 32 median: ~0.46 M parameters)
  [m1-cos]="--preset ghn2 -m 1 --lr-schedule cosine"
  [m1-warm-cos]="--preset ghn2 -m 1 --lr-schedule cosine --warmup-steps 20"
  [m1-lr3e-3-cos]="--preset ghn2 -m 1 --lr 3e-3 --lr-schedule cosine"
  [m1-small]="--preset ghn2 -m 1 --max-net-params 500000"
  [m1-small50]="--preset ghn2 -m 1 --max-net-params 500000 --capped-fraction 0.5"
  [m1-c64]="--preset ghn2 -m 1 --max-c 64"
  # the other knobs on top of cosine decay (the schedule the 700-step study picked), at a CPU budget: they change the
  # CPU cost of a step, so equal steps would not be equal budgets
  [m1-cos-clip1]="--preset ghn2 -m 1 --lr-schedule cosine --grad-clip 1"
  [m1-cos-b32]="--preset ghn2 -m 1 --lr-schedule cosine -b 32"
  [m1-cos-b128]="--preset ghn2 -m 1 --lr-schedule cosine -b 128"
  [m1-cos-hid64]="--preset ghn2 -m 1 --lr-schedule cosine --hid 64"
  [m1-cos-small50]="--preset ghn2 -m 1 --lr-schedule cosine --max-net-params 500000 --capped-fraction 0.5"
  [m1-cos-c64]="--preset ghn2 -m 1 --lr-schedule cosine --max-c 64"
)
order=(ghn2-m8 ghn2-m4 ghn2-m1 m1-no-ve m1-no-weight-norm m1-no-ln ghn1-m1 mlp-m1)
(($#)) && order=("$@")

# the native allocator of ./ghn4j (environment/native-allocator.sh): with glibc's malloc a meta-training step costs
# several times more CPU (page faults, fragmentation), which would shrink every variant's steps in the budget
. "$root/environment/native-allocator.sh"
if [ -z "${LD_PRELOAD:-}" ] && jemalloc="$(ghn4j_jemalloc)" && [ -n "$jemalloc" ]; then
  export LD_PRELOAD="$jemalloc"
  export MALLOC_CONF="${MALLOC_CONF:-$GHN4J_MALLOC_CONF_DEFAULT}"
fi
echo "native allocator: ${LD_PRELOAD:-glibc malloc}"

run() {
  DNNL_MAX_CPU_ISA="${DNNL_MAX_CPU_ISA:-AVX2}" nice -n 10 java -Xmx8g -Dai.djl.offline=true \
    -Dai.djl.pytorch.num_threads="${GHN4J_THREADS:-1}" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dghn4j.root="$root" -cp "$jar" ghn4j.cli.Main "$@"
}

mkdir -p "$out"
failed=()
for v in "${order[@]}"; do
  base="${v%@s*}"
  seed_opt=""
  batch_opt="-b 64"
  [[ " ${opts[$base]:-} " == *" -b "* ]] && batch_opt=""
  if [[ "$v" == *@s* ]]; then
    seed="${v##*@s}"
    [[ "$seed" =~ ^[0-9]+$ ]] || { echo "variant $v: seed after @s must be a number" >&2; exit 2; }
    seed_opt="--seed $seed"
  fi
  [[ -n "${opts[$base]:-}" ]] || { echo "unknown variant $base (known: ${!opts[*]})" >&2; exit 2; }
  dir="$out/$v"
  if [[ -f "$dir/eval/results.csv" && -f "$dir/eval/done" ]]; then echo "== $v: done, skipped"; continue; fi
  t0=$(date +%s)
  if [[ -f "$dir/ghn.safetensors" ]]; then
    echo "== $v: trained, evaluating only"
  else
    rm -rf "$dir"
    echo "== $v: train ${opts[$base]} $seed_opt $budget_opt ($(date -u +%H:%M:%S))"
    # shellcheck disable=SC2086
    if ! run train $batch_opt ${opts[$base]} $seed_opt $budget_opt --run-dir "$dir" --data-dir "$data" --no-progress \
      --checkpoint-every 0 --log-every 1; then
      echo "== $v: training FAILED (the grid goes on; its directory is kept)" >&2
      failed+=("$v")
      continue
    fi
  fi
  t1=$(date +%s)
  if ! run eval --ckpt "$dir/ghn.safetensors" --split test --nets "$nets" --images "$images" --data-dir "$data" \
    --out "$dir/eval"; then
    echo "== $v: evaluation FAILED (the grid goes on)" >&2
    failed+=("$v")
    continue
  fi
  t2=$(date +%s)
  printf '{"script_train_wall_s": %d, "eval_wall_s": %d}\n' $((t1 - t0)) $((t2 - t1)) > "$dir/eval/done"
  echo "== $v: train $((t1 - t0)) s, eval $((t2 - t1)) s wall"
done
if ((${#failed[@]})); then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
