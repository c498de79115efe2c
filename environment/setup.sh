#!/usr/bin/env bash
# Makes a fresh machine ready for ghn4j: checks Java and Maven, builds the library and the kernel, installs Jupyter
# and the "Java (ghn4j)" kernelspec, and prepares CIFAR-10 under data/. Idempotent: finished steps are skipped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ ! -f /tmp/.ghn4j-apt-updated ]; then as_root apt-get update -qq && touch /tmp/.ghn4j-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# 1. Java 17+ and Maven.
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then
  say "Java 17+ not found; installing openjdk-17-jdk-headless"
  apt_install openjdk-17-jdk-headless || { echo "ghn4j needs Java 17 or newer: install a JDK (e.g. apt-get install openjdk-17-jdk-headless) and put java on PATH" >&2; exit 1; }
fi
if ! command -v mvn >/dev/null; then
  say "Maven not found; installing maven"
  apt_install maven || { echo "ghn4j needs Apache Maven 3.8+: install it (e.g. apt-get install maven) and put mvn on PATH" >&2; exit 1; }
fi

# jemalloc: ./ghn4j preloads it to keep meta-training's resident memory flat (see the launcher); optional.
if ! ls /usr/lib/*/libjemalloc.so.2 /usr/lib64/libjemalloc.so.2 >/dev/null 2>&1; then
  say "installing libjemalloc2 (keeps PyTorch's resident memory flat; optional)"
  apt_install libjemalloc2 || say "could not install libjemalloc2: ./ghn4j falls back to glibc malloc"
fi

# 2. Build when a jar is missing or a source is newer than it.
needs_build() {
  local jar="$1"; shift
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$@" -newer "$jar" -type f 2>/dev/null | head -1)" ]
}
if needs_build lib/target/ghn4j.jar lib/src/main lib/pom.xml pom.xml \
   || needs_build lib-spark/target/ghn4j-spark.jar lib-spark/src/main lib-spark/pom.xml lib/src/main \
   || needs_build environment/kernel/target/ghn4j-kernel.jar environment/kernel/src/main environment/kernel/pom.xml; then
  say "building (mvn package -DskipTests)"
  mvn -q -B package -DskipTests
else
  say "build is up to date"
fi

# 3. Jupyter and the kernelspec.
environment/install-jupyter.sh
environment/install-kernel.sh

# 4. CIFAR-10 (GHN4J_CIFAR10=<archive or folder> when set, else the official download).
environment/prepare-data.sh
say "ready"
