# Sourced (bash) by ./ghn4j (--spark) and environment/spark-cluster.sh: how to start a JVM that runs Spark from the
# Maven-resolved jars of lib-spark (no Spark download, no SPARK_HOME install).

# Java 17 module flags Spark needs (its spark-submit adds them; we start plain JVMs). Keep in step with the
# spark.jvm.flags property of lib-spark/pom.xml, which gives them to the tests.
GHN4J_SPARK_FLAGS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"

# Prints the classpath of the Spark module (its jar, then ghn4j's and Spark's dependencies), or fails with one line
# naming the build command when the module is not built.
# The module's classes directory comes first when it is there: it is never older than the jar (`mvn test` compiles
# without packaging, and a jar of an earlier package would be stale).
ghn4j_spark_classpath() {
  local root="$1"
  local jar="$root/lib-spark/target/classes" cp="$root/lib-spark/target/classpath.txt"
  [ -f "$jar/ghn4j/spark/SparkMain.class" ] || jar="$root/lib-spark/target/ghn4j-spark.jar"
  if [ ! -f "$jar" ] && [ ! -d "$jar" ] || [ ! -f "$cp" ]; then
    echo "ghn4j: --spark: the Spark module is not built ($root/lib-spark/target/ghn4j-spark.jar missing); build it with: (cd $root && mvn -B -pl lib,lib-spark package -DskipTests)" >&2
    return 1
  fi
  printf '%s:%s\n' "$jar" "$(cat "$cp")"
}
