#!/usr/bin/env bash
# Opens notebooks/ in JupyterLab when it is installed, else in the classic Notebook (Debian's package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/notebooks"
for cmd in jupyter-lab /usr/bin/jupyter-notebook jupyter-notebook; do
  if command -v "$cmd" >/dev/null; then
    echo "opening $root/notebooks with $cmd (kernel: Java (ghn4j))"
    exec "$cmd" --ip=127.0.0.1 --no-browser "$@"
  fi
done
echo "no JupyterLab or Notebook found: run environment/install-jupyter.sh (or pip install jupyterlab)" >&2
exit 1
