#!/usr/bin/env bash
# A standalone Spark cluster on 127.0.0.1 for tests and trials: one master and two workers, each its own JVM, started
# from the Maven-resolved jars of lib-spark (nothing downloaded, no Spark install).
#
#   environment/spark-cluster.sh start|stop|status
#
# Environment: GHN4J_SPARK_STATE (state dir: pids, logs, work dirs; default /tmp/ghn4j-spark-cluster),
# GHN4J_SPARK_PORT (master port, default 7077), GHN4J_SPARK_WORKERS (default 2), GHN4J_SPARK_WORKER_CORES (1),
# GHN4J_SPARK_WORKER_MEMORY (memory a worker offers its executors, default 2g), GHN4J_SPARK_START_TIMEOUT (s, 300).
# `start` prints the master URL (also in $GHN4J_SPARK_STATE/master-url) for `./ghn4j eval --spark --master URL`.
# `start` and `stop` are idempotent; `status` exits 0 when every daemon runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/environment/spark-env.sh"
state="${GHN4J_SPARK_STATE:-/tmp/ghn4j-spark-cluster}"
port="${GHN4J_SPARK_PORT:-7077}"
workers="${GHN4J_SPARK_WORKERS:-2}"
cores="${GHN4J_SPARK_WORKER_CORES:-1}"
memory="${GHN4J_SPARK_WORKER_MEMORY:-2g}"
url="spark://127.0.0.1:$port"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

daemons() { echo master; for i in $(seq 1 "$workers"); do echo "worker-$i"; done; }

# Waits up to $GHN4J_SPARK_START_TIMEOUT s (default 300: a JVM starts slowly on a loaded machine) for a line matching
# $2 in log $1.
wait_for() {
  local log="$1" pattern="$2" pidfile="$3" limit="${GHN4J_SPARK_START_TIMEOUT:-300}"
  for _ in $(seq 1 $((limit * 2))); do
    grep -q "$pattern" "$log" 2>/dev/null && return 0
    alive "$pidfile" || { echo "spark-cluster: $(basename "$pidfile" .pid) exited; see $log" >&2; tail -5 "$log" >&2; return 1; }
    sleep 0.5
  done
  echo "spark-cluster: $(basename "$pidfile" .pid) not ready after $limit s; see $log" >&2
  return 1
}

start() {
  local cp
  cp="$(ghn4j_spark_classpath "$root")" || exit 1
  mkdir -p "$state"
  # Workers launch executors through Spark's launcher, which wants SPARK_HOME/jars: link the Maven-resolved jars there.
  mkdir -p "$state/spark-home/jars"
  tr ':' '\n' < "$root/lib-spark/target/classpath.txt" | while read -r j; do
    case "$j" in *.jar) ln -sf "$j" "$state/spark-home/jars/$(basename "$j")" ;; esac
  done
  export SPARK_HOME="$state/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_NO_DAEMONIZE=1
  # the daemons log at INFO (lib-spark's own log4j2.properties keeps jobs at WARN): start waits for their INFO lines
  cat > "$state/log4j2-daemons.properties" <<'LOG'
rootLogger.level = info
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
LOG
  local logconf="-Dlog4j2.configurationFile=$state/log4j2-daemons.properties"
  . "$root/environment/native-allocator.sh"
  if [ -z "${LD_PRELOAD:-}" ] && jemalloc="$(ghn4j_jemalloc)" && [ -n "$jemalloc" ]; then
    export LD_PRELOAD="$jemalloc" MALLOC_CONF="${MALLOC_CONF:-$GHN4J_MALLOC_CONF_DEFAULT}"
  fi
  # shellcheck disable=SC2086
  if ! alive "$state/master.pid"; then
    nohup java -Xmx256m $GHN4J_SPARK_FLAGS "$logconf" -cp "$cp" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$port" --webui-port 0 > "$state/master.log" 2>&1 &
    echo $! > "$state/master.pid"
  fi
  wait_for "$state/master.log" "Starting Spark master at\|I have been elected leader" "$state/master.pid"
  for i in $(seq 1 "$workers"); do
    local pidfile="$state/worker-$i.pid"
    if ! alive "$pidfile"; then
      mkdir -p "$state/worker-$i"
      # shellcheck disable=SC2086
      nohup java -Xmx256m $GHN4J_SPARK_FLAGS "$logconf" -cp "$cp" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --port 0 --webui-port 0 --cores "$cores" --memory "$memory" --work-dir "$state/worker-$i" \
        "$url" > "$state/worker-$i.log" 2>&1 &
      echo $! > "$pidfile"
    fi
  done
  for i in $(seq 1 "$workers"); do
    wait_for "$state/worker-$i.log" "Successfully registered with master" "$state/worker-$i.pid"
  done
  echo "$url" > "$state/master-url"
  echo "$url"
}

stop() {
  local d pid
  # workers first (each stops its executors), then the master
  for d in $(daemons | tac); do
    if alive "$state/$d.pid"; then
      pid="$(cat "$state/$d.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$state/$d.pid"
  done
  # executors of a worker that was killed with -9 exit on their own when they lose it; these are ours by their pid files
  echo "spark-cluster: stopped ($state)"
}

status() {
  local ok=0 d
  for d in $(daemons); do
    if alive "$state/$d.pid"; then echo "$d: running (pid $(cat "$state/$d.pid"))"; else echo "$d: stopped"; ok=1; fi
  done
  [ $ok = 0 ] && echo "master: $url"
  return $ok
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
