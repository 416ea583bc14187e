#!/usr/bin/env bash
# Runs the job's jar through Spark's own SparkSubmit on a local master, exactly as spark-submit
# would on a cluster, without a Spark distribution: the runtime jars come from spark-job/target/lib.
# Usage: deploy/local/submit.sh [train] [--conf FILE] [--set key=value]...
# Environment: MASTER (default local[2]), DRIVER_MEMORY (default 2g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version=0.1.0-SNAPSHOT
jar="$root/spark-job/target/vaegan-spark-job-$version.jar"
lib="$root/spark-job/target/lib"
if [ ! -f "$jar" ] || [ ! -d "$lib" ]; then
  (cd "$root" && mvn -B -q -DskipTests install) >&2
fi
[ $# -eq 0 ] && set -- train
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# Same allocator as bin/vaegan (see README, Memory).
. "$root/bin/native-allocator.sh"
vaegan_choose_allocator || exit 2
# SparkSubmit in client mode runs the driver inside this JVM: give it the heap and opens here.
exec java -Xmx"${DRIVER_MEMORY:-2g}" -Djava.awt.headless=true $(tr -d '\n' < "$root/bin/java-opens.txt") \
  -cp "$lib/*" org.apache.spark.deploy.SparkSubmit \
  --master "${MASTER:-local[2]}" \
  --conf spark.driver.host=127.0.0.1 \
  --class org.vaegan.spark.cli.VaeganMain \
  "$jar" "$@"
