#!/usr/bin/env bash
# Prepares the CIFAR-10 cache in data/cifar10/ (train.bin, test.bin, classes.txt, source.json) with
# `./ghn4j data prepare`. Source: GHN4J_CIFAR10 when set (the official cifar-10-binary.tar.gz, an ImageFolder directory
# or a .tar.gz of one); when unset, an existing valid cache is kept, else the official archive is downloaded
# (MD5-checked). Builds lib/target/ghn4j.jar when it is missing. Idempotent: does nothing when a valid cache from the
# same source exists.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '\033[1m[data]\033[0m %s\n' "$*"; }

if [ ! -f lib/target/ghn4j.jar ]; then
  say "building lib/target/ghn4j.jar"
  mvn -q -B -pl lib -am package -DskipTests
fi

args=(data prepare)
if [ -n "${GHN4J_CIFAR10:-}" ]; then
  say "CIFAR-10 from GHN4J_CIFAR10=$GHN4J_CIFAR10"
  args+=(--source "$GHN4J_CIFAR10")
else
  say "CIFAR-10: GHN4J_CIFAR10 not set; keeping an existing cache, else downloading the official archive"
fi
[ -n "${GHN4J_DATA_DIR:-}" ] && args+=(--data-dir "$GHN4J_DATA_DIR")
./ghn4j "${args[@]}"
