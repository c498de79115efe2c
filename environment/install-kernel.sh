#!/usr/bin/env bash
# Installs the Jupyter kernelspec "ghn4j-java" ("Java (ghn4j)") for the current user.
#
#   environment/install-kernel.sh
#
# Builds environment/kernel/target/ghn4j-kernel.jar if it is missing or older than the kernel sources, then writes
# $HOME/.local/share/jupyter/kernels/ghn4j-java/kernel.json (the user's Jupyter data directory, searched by every
# Jupyter; JUPYTER_DATA_DIR overrides it) from environment/kernelspec/kernel.json.in. Idempotent: kernel.json is
# rewritten only when its content changes.
set -euo pipefail

log() { printf 'install-kernel: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
jar="$repo/environment/kernel/target/ghn4j-kernel.jar"
template="$here/kernelspec/kernel.json.in"
[[ -f "$template" ]] || die "template missing: $template"

# Java 17 or newer, by absolute path so that Jupyter starts the same JVM whatever its PATH.
java_bin=""
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java_bin="$JAVA_HOME/bin/java"
elif command -v java >/dev/null 2>&1; then java_bin="$(readlink -f "$(command -v java)")"
fi
[[ -n "$java_bin" ]] || die "no java found: install a JDK 17+ (Debian: apt-get install openjdk-17-jdk) or set JAVA_HOME"
java_major="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ "${java_major:-0}" =~ ^[0-9]+$ && "$java_major" -ge 17 ]] \
  || die "$java_bin is Java ${java_major:-?}; the kernel needs Java 17+ (set JAVA_HOME to a JDK 17+)"
"$java_bin" --list-modules 2>/dev/null | grep -q '^jdk.jshell' \
  || die "$java_bin has no jdk.jshell module: install a full JDK (Debian: openjdk-17-jdk), not a JRE"

# Build the jar if missing or stale.
if [[ ! -f "$jar" ]] || [[ -n "$(find "$repo/environment/kernel/src/main" "$repo/environment/kernel/pom.xml" -newer "$jar" -type f -print -quit)" ]]; then
  command -v mvn >/dev/null 2>&1 || die "$jar missing and no mvn on PATH: install Maven 3.8+ (Debian: apt-get install maven)"
  log "building $jar"
  (cd "$repo" && mvn -q -B -pl environment/kernel -am package -DskipTests) || die "kernel build failed (see Maven output above)"
  [[ -f "$jar" ]] || die "the build did not produce $jar"
fi

data_dir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}"
spec_dir="$data_dir/kernels/ghn4j-java"
mkdir -p "$spec_dir"
tmp="$(mktemp "$spec_dir/.kernel.json.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
esc() { printf '%s' "$1" | sed -e 's/[\\"]/\\&/g' -e 's/[|&]/\\&/g'; }
# The kernel's native allocator, as ./ghn4j's (environment/native-allocator.sh): jemalloc keeping freed pages, when
# installed when this script runs (re-run it after installing libjemalloc2); GHN4J_MALLOC=glibc leaves it out.
. "$here/native-allocator.sh"
jemalloc="$(ghn4j_jemalloc)"
# and idle OpenMP workers sleeping instead of spinning, as ./ghn4j sets it (why: there)
if [[ -n "$jemalloc" ]]; then
  env_json="{\"LD_PRELOAD\": \"$(esc "$jemalloc")\", \"MALLOC_CONF\": \"$GHN4J_MALLOC_CONF_DEFAULT\", \"OMP_WAIT_POLICY\": \"PASSIVE\"}"
else
  env_json="{\"OMP_WAIT_POLICY\": \"PASSIVE\"}"
fi
sed -e "s|@JAVA@|$(esc "$java_bin")|" -e "s|@JAR@|$(esc "$jar")|" -e "s|@ENV@|$(printf '%s' "$env_json" | sed -e 's/[|&\\]/\\&/g')|" \
  "$template" > "$tmp"
if [[ -f "$spec_dir/kernel.json" ]] && cmp -s "$tmp" "$spec_dir/kernel.json"; then
  log "kernelspec up to date: $spec_dir/kernel.json"
else
  mv "$tmp" "$spec_dir/kernel.json"
  log "wrote $spec_dir/kernel.json"
fi
log "kernel: Java (ghn4j) = $java_bin -jar $jar"
