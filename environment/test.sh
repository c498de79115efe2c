#!/usr/bin/env bash
# Command 2 of the README: set up, then run every test — the JUnit suites of lib/ and the kernel, then every notebook
# in smoke mode through our kernel.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/environment/setup.sh"
start=$(date +%s)
mvn -B -q spotless:check   # google-java-format: unformatted code fails here (mvn spotless:apply fixes it)
mvn -B test
environment/run-notebooks.sh --smoke
echo "[test] all tests passed in $(( $(date +%s) - start )) s"
