#!/usr/bin/env bash
# Installs a Jupyter able to execute notebooks headless (nbconvert + nbclient), if none is there yet.
#
# Order of preference:
#   1. an existing Jupyter whose python can import nbconvert and nbclient (Debian's /usr/bin/python3 first,
#      because a pyenv python3 on PATH may shadow it) -> nothing to do;
#   2. PyPI reachable -> pip install --user jupyterlab (JupyterLab for interactive use, nbconvert for the tests);
#   3. otherwise Debian packages: jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel.
#
# Idempotent; runs as root without sudo, uses sudo otherwise (if available).
# Prints the python and jupyter it settled on; environment/run-notebooks.sh finds them the same way.
set -euo pipefail

log() { printf 'install-jupyter: %s\n' "$*" >&2; }

# The python that can run `-m nbconvert` and has nbclient, or nothing. Same search as run-notebooks.sh.
find_jupyter_python() {
  local candidates=() py
  [[ -n "${GHN4J_JUPYTER_PYTHON:-}" ]] && candidates+=("$GHN4J_JUPYTER_PYTHON")
  candidates+=(/usr/bin/python3)
  py="$(command -v python3 || true)"; [[ -n "$py" ]] && candidates+=("$py")
  for py in "${candidates[@]}"; do
    [[ -x "$py" ]] || continue
    if "$py" -c 'import nbconvert, nbclient, nbformat, jupyter_client' >/dev/null 2>&1; then
      echo "$py"; return 0
    fi
  done
  return 1
}

report() {
  local py="$1"
  log "using python: $py ($("$py" --version 2>&1))"
  log "nbconvert $("$py" -c 'import nbconvert; print(nbconvert.__version__)'), nbclient $("$py" -c 'import nbclient; print(nbclient.__version__)'), jupyter_client $("$py" -c 'import jupyter_client; print(jupyter_client.__version__)')"
  local jl; jl="$("$py" -c 'import jupyterlab; print(jupyterlab.__version__)' 2>/dev/null || true)"
  if [[ -n "$jl" ]]; then log "JupyterLab $jl: $py -m jupyterlab"; else log "no JupyterLab (not packaged by Debian); interactive use: $py -m notebook"; fi
  echo "$py"
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else log "need root for: $* (run this script as root or install sudo)"; return 1
  fi
}

# Optional: Graphviz's `dot` draws architecture graphs in notebooks/02-deepnets1m.ipynb and 08-your-own-model.ipynb
# (which print a note without it). Never fails the set-up; GHN4J_NO_GRAPHVIZ=1 skips it.
optional_graphviz() {
  command -v dot >/dev/null 2>&1 && return 0
  [[ -n "${GHN4J_NO_GRAPHVIZ:-}" ]] && return 0
  command -v apt-get >/dev/null 2>&1 || { log "optional: Graphviz not installed (no apt-get); graph drawings are skipped"; return 0; }
  log "optional: installing Graphviz (graph drawings in the notebooks)"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends graphviz >/dev/null 2>&1; then
    as_root apt-get update -q >/dev/null 2>&1 || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends graphviz >/dev/null 2>&1 \
      || log "optional: Graphviz could not be installed; graph drawings are skipped"
  fi
  return 0
}

if py="$(find_jupyter_python)"; then
  log "Jupyter already installed, skipping"
  optional_graphviz || true
  report "$py"
  exit 0
fi


# 2. PyPI, checked quickly: a no-deps download of jupyterlab from PyPI itself (or from PIP_INDEX_URL when set), with
#    a short timeout. --isolated ignores pip config files: a local wheel directory holding jupyterlab but not its ~80
#    dependencies must not count as "PyPI reachable".
pip_py=""
for py in "$(command -v python3 || true)" /usr/bin/python3; do
  [[ -n "$py" && -x "$py" ]] || continue
  if "$py" -m pip --version >/dev/null 2>&1; then pip_py="$py"; break; fi
done
if [[ -n "$pip_py" ]]; then
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  index="${PIP_INDEX_URL:-https://pypi.org/simple}"
  if timeout 30 "$pip_py" -m pip download --isolated -q --no-deps --timeout 10 --retries 0 --index-url "$index" \
       -d "$tmp" jupyterlab >/dev/null 2>&1; then
    log "PyPI reachable ($index): installing jupyterlab with $pip_py -m pip"
    pip_args=(install --upgrade jupyterlab nbconvert nbclient)
    # Debian's system python refuses plain installs (PEP 668); --user keeps it out of /usr.
    [[ "$pip_py" == /usr/bin/* ]] && pip_args+=(--user --break-system-packages)
    if "$pip_py" -m pip "${pip_args[@]}" && py="$(GHN4J_JUPYTER_PYTHON="$pip_py" find_jupyter_python)"; then
      optional_graphviz || true; report "$py"; exit 0
    fi
    log "pip install of jupyterlab failed; falling back to Debian packages"
  else
    log "PyPI not reachable ($index, 30 s); falling back to Debian packages"
  fi
fi

# 3. Debian packages.
if ! command -v apt-get >/dev/null 2>&1; then
  log "no Jupyter found, PyPI not reachable and no apt-get: install Jupyter (nbconvert + nbclient) yourself,"
  log "e.g. 'pip install jupyterlab', then set GHN4J_JUPYTER_PYTHON to its python"
  exit 1
fi
pkgs=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel)
log "installing Debian packages: ${pkgs[*]}"
as_root apt-get update -q
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}"
if py="$(find_jupyter_python)"; then optional_graphviz || true; report "$py"; exit 0; fi
log "Debian packages installed but no python can import nbconvert and nbclient; check 'apt-cache policy ${pkgs[*]}'"
exit 1
