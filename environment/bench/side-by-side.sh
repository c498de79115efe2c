#!/usr/bin/env bash
# Interleaved speed comparison of ghn4j with the reference ppuda (PyTorch) on this machine: the two programs
# alternate (ppuda, ghn4j, ppuda, ghn4j, ...) so both see the same machine load. Needs /usr/bin/python3 with
# torch, torchvision, networkx, tqdm and a ppuda checkout at $PPUDA (default /tmp/ppuda).
#   environment/bench/side-by-side.sh ghn   [REPS=3] [THREADS="1 2"]      issue #4: GHN prediction
#   environment/bench/side-by-side.sh train [REPS=2] [STEPS=10] [MB="8 1"] issue #5: meta-training step, both sides
#     on the same nets (ghn4j samples them and writes them with --dump-nets; ppuda builds and trains those), one
#     PyTorch thread each; ppuda gets random images (time does not depend on pixel values), ghn4j CIFAR-10 batches
# Raw outputs go to $OUT (default target/side-by-side); a table is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE=${1:?usage: side-by-side.sh ghn|train}
REPS=${REPS:-3}
OUT=${OUT:-target/side-by-side}
GHN=${GHN:-../shared/fixtures/reference/ghn/ghn2-random.pt}
PY="/usr/bin/python3 environment/bench/ppuda_side_by_side.py"
mkdir -p "$OUT"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $MODE == ghn ]]; then
  for t in ${THREADS:-1 2}; do
    for r in $(seq 1 "$REPS"); do
      echo "# threads $t rep $r load $(cut -d' ' -f1 /proc/loadavg)"
      $PY ghn --ghn "$GHN" --runs 5 --warmup 2 --threads "$t" > "$OUT/ghn-ppuda-t$t-r$r.json"
      GHN4J_THREADS=$t nice -n 10 ./ghn4j bench ghn --ghn "$GHN" --runs 5 --warmup 2 --test-nets 0 \
        > "$OUT/ghn-ghn4j-t$t-r$r.txt"
    done
  done
elif [[ $MODE == train ]]; then
  for mb in ${MB:-8 1}; do
    for r in $(seq 1 "$REPS"); do
      echo "# meta-batch $mb rep $r load $(cut -d' ' -f1 /proc/loadavg)"
      # ghn4j first: it writes the nets it sampled at each step, and ppuda then trains exactly those
      GHN4J_THREADS=1 /usr/bin/time -v ./ghn4j bench-train --steps "$((${STEPS:-10} + 2))" --warmup 2 \
        -m "$mb" -s "$r" --data-dir "${DATA_DIR:-data}" --dump-nets "$OUT/train-nets-m$mb-r$r.jsonl" \
        > "$OUT/train-ghn4j-m$mb-r$r.txt" 2> "$OUT/train-ghn4j-m$mb-r$r.err"
      /usr/bin/time -v $PY train --ghn "$GHN" --nets-jsonl "$OUT/train-nets-m$mb-r$r.jsonl" --warmup 2 \
        > "$OUT/train-ppuda-m$mb-r$r.json" 2> "$OUT/train-ppuda-m$mb-r$r.err"
    done
  done
else
  echo "unknown mode $MODE" >&2; exit 2
fi
/usr/bin/python3 environment/bench/side_by_side_table.py "$MODE" "$OUT"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
