#!/usr/bin/env bash
# Command 1 of the README: set up, then run the main job — the quickstart notebook, executed headless with its outputs
# saved in place. With --open, start Jupyter on notebooks/ afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/environment/setup.sh"
main=notebooks/01-quickstart.ipynb
[ -f "$main" ] || main=notebooks/00-environment.ipynb
environment/run-notebooks.sh "$main"
echo "executed notebook: $root/$main"
if [ "${1:-}" = "--open" ]; then
  exec environment/open-jupyter.sh
fi
