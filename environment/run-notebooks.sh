#!/usr/bin/env bash
# Executes notebooks headless through the "ghn4j-java" kernel with nbconvert and counts failures.
#
#   environment/run-notebooks.sh [--smoke] [--timeout SECONDS] [notebooks/NN-name.ipynb ...]
#
# Without arguments: every notebooks/*.ipynb, in name order (new notebooks are picked up automatically).
#   --smoke    sets GHN4J_SMOKE=1 (notebooks shrink their budgets) and writes the executed copies to a temporary
#              directory (or $GHN4J_EXECUTED_DIR), leaving the committed notebooks untouched;
#   (default)  full mode: GHN4J_SMOKE unset, notebooks are executed and saved in place, with their outputs.
# A notebook fails if nbconvert fails (a cell raised, a timeout, the kernel died) or if any saved output is an
# error. The last line is exactly "N passed, M failed"; the exit status is non-zero if any failed.
# Every notebook ends with a self-check cell that throws when one of its invariants does not hold, failing it here.
#
# Needs: the Jupyter from environment/install-jupyter.sh and the kernelspec from environment/install-kernel.sh.
set -euo pipefail

log() { printf 'run-notebooks: %s\n' "$*" >&2; }
die() { log "$*"; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

smoke=0
timeout=""
notebooks=()
while (($#)); do
  case "$1" in
    --smoke) smoke=1 ;;
    --timeout) shift; [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]] || die "--timeout needs a number of seconds"; timeout="$1" ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) notebooks+=("$1") ;;
  esac
  shift
done
# per-cell timeout: smoke runs are meant to be quick; full runs may train
timeout="${timeout:-$([[ $smoke == 1 ]] && echo 900 || echo 14400)}"

# The Jupyter install-jupyter.sh installed: Debian's /usr/bin/python3 when a pyenv python3 shadows it.
py=""
for candidate in "${GHN4J_JUPYTER_PYTHON:-}" /usr/bin/python3 "$(command -v python3 || true)"; do
  [[ -n "$candidate" && -x "$candidate" ]] || continue
  if "$candidate" -c 'import nbconvert, nbclient, nbformat, jupyter_client' >/dev/null 2>&1; then py="$candidate"; break; fi
done
[[ -n "$py" ]] || die "no Jupyter with nbconvert and nbclient found: run environment/install-jupyter.sh"
"$py" -c 'from jupyter_client.kernelspec import KernelSpecManager as M; M().get_kernel_spec("ghn4j-java")' >/dev/null 2>&1 \
  || die "kernelspec ghn4j-java not found by $py: run environment/install-kernel.sh"

if ((${#notebooks[@]} == 0)); then
  shopt -s nullglob
  notebooks=("$repo"/notebooks/*.ipynb)
  shopt -u nullglob
  ((${#notebooks[@]})) || die "no notebooks in $repo/notebooks"
fi

if [[ $smoke == 1 ]]; then
  export GHN4J_SMOKE=1
  out_dir="${GHN4J_EXECUTED_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/ghn4j-notebooks.XXXXXX")}"
  mkdir -p "$out_dir"
  log "smoke mode: GHN4J_SMOKE=1, executed copies in $out_dir"
else
  unset GHN4J_SMOKE
  log "full mode: notebooks are executed in place"
fi
log "jupyter: $py ($("$py" -c 'import nbconvert; print("nbconvert", nbconvert.__version__)'))"

# Prints the error outputs of an executed notebook (ename: evalue per line); exit 1 if there are any.
scan_errors() {
  "$py" - "$1" <<'PY'
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
errors = [(i, o) for i, c in enumerate(nb.cells) if c.cell_type == "code"
          for o in c.get("outputs", []) if o.get("output_type") == "error"]
for i, o in errors:
    print(f"  cell {i}: {o.get('ename')}: {o.get('evalue')}")
sys.exit(1 if errors else 0)
PY
}

passed=0
failed=0
failures=()
for nb in "${notebooks[@]}"; do
  [[ -f "$nb" ]] || { log "FAIL $nb: no such file"; failed=$((failed + 1)); failures+=("$nb"); continue; }
  name="$(basename "$nb")"
  args=(--to notebook --execute
        --ExecutePreprocessor.kernel_name=ghn4j-java
        --ExecutePreprocessor.timeout="$timeout"
        --ExecutePreprocessor.record_timing=False)
  if [[ $smoke == 1 ]]; then
    args+=(--output-dir "$out_dir" --output "$name")
    result="$out_dir/$name"
  else
    args+=(--inplace)
    result="$nb"
  fi
  start=$SECONDS
  log "running $name"
  if "$py" -m nbconvert "${args[@]}" "$nb" >"${TMPDIR:-/tmp}/ghn4j-nbconvert.$$.log" 2>&1 && scan_errors "$result"; then
    log "ok   $name ($((SECONDS - start)) s)"
    passed=$((passed + 1))
  else
    log "FAIL $name ($((SECONDS - start)) s); nbconvert output:"
    tail -n 40 "${TMPDIR:-/tmp}/ghn4j-nbconvert.$$.log" >&2 || true
    [[ -f "$result" ]] && scan_errors "$result" >&2 || true
    failed=$((failed + 1))
    failures+=("$name")
  fi
  rm -f "${TMPDIR:-/tmp}/ghn4j-nbconvert.$$.log"
done

((failed == 0)) || log "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
((failed == 0))
