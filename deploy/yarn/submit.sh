#!/usr/bin/env bash
# Submits the VAE/GAN job to YARN with spark-submit.
#
# Usage: deploy/yarn/submit.sh [spark-submit options] [--] <command> [job options]
#   deploy/yarn/submit.sh -- train --conf my.conf --set vaegan.data.path=hdfs:///data/faces
#   deploy/yarn/submit.sh --deploy-mode client --num-executors 8 -- train --conf my.conf
# Options before "--" go to spark-submit (after the defaults, so they win); the rest to the job.
# A local job config (--conf FILE) is shipped with --files in cluster mode. Environment:
#   SPARK_HOME               a Spark 3.5 distribution (Scala 2.12); required
#   HADOOP_CONF_DIR          (or YARN_CONF_DIR) the cluster's client configuration; required
#   VAEGAN_JAR               default: spark-job/target/vaegan-spark-job-<version>.jar
#   VAEGAN_SPARK_PROPERTIES  default: deploy/yarn/vaegan-yarn.properties
#   VAEGAN_GPUS=N            request N GPUs per executor (one per task) with the discovery script
#   VAEGAN_DRY_RUN=1         print the spark-submit command, one argument a line, instead of running it
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version=0.1.0-SNAPSHOT

: "${SPARK_HOME:?set SPARK_HOME to a Spark 3.5 (Scala 2.12) distribution}"
if [ -z "${HADOOP_CONF_DIR:-}" ] && [ -z "${YARN_CONF_DIR:-}" ]; then
  echo "submit.sh: set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the folder with the cluster's yarn-site.xml" >&2
  exit 2
fi
jar="${VAEGAN_JAR:-$root/spark-job/target/vaegan-spark-job-$version.jar}"
if [ ! -f "$jar" ]; then
  echo "submit.sh: no application jar at $jar; build it with: mvn -B -DskipTests package" >&2
  exit 2
fi
props="${VAEGAN_SPARK_PROPERTIES:-$here/vaegan-yarn.properties}"

# shellcheck source=../lib/submit-args.sh
source "$here/../lib/submit-args.sh"
split_submit_args "$@"

mode=cluster
for ((i = 0; i < ${#spark_args[@]}; i++)); do
  [ "${spark_args[$i]}" = "--deploy-mode" ] && mode="${spark_args[$((i + 1))]:-cluster}"
done

# The driver of cluster mode runs in a YARN container: a local --conf file travels with --files
# and is read from the container's working folder.
files=()
for ((i = 0; i < ${#job_args[@]}; i++)); do
  if [ "${job_args[$i]}" = "--conf" ] && [ $((i + 1)) -lt ${#job_args[@]} ]; then
    conf="${job_args[$((i + 1))]}"
    if [[ "$conf" != *://* ]] && [ "$mode" = cluster ]; then
      if [ ! -f "$conf" ]; then
        echo "submit.sh: --conf $conf: no such file" >&2
        exit 2
      fi
      files+=("$(cd "$(dirname "$conf")" && pwd)/$(basename "$conf")")
      job_args[$((i + 1))]="$(basename "$conf")"
    fi
  fi
done

gpu_args=()
if [ -n "${VAEGAN_GPUS:-}" ]; then
  files+=("$root/deploy/gpu/getGpusResources.sh")
  gpu_args=(--conf "spark.executor.resource.gpu.amount=$VAEGAN_GPUS"
            --conf "spark.task.resource.gpu.amount=1"
            --conf "spark.executor.resource.gpu.discoveryScript=./getGpusResources.sh")
fi
files_args=()
if [ ${#files[@]} -gt 0 ]; then
  files_args=(--files "$(IFS=,; echo "${files[*]}")")
fi

cmd=("$SPARK_HOME/bin/spark-submit" --master yarn --deploy-mode cluster
     --name "vaegan-${job_args[0]}" --properties-file "$props"
     --class org.vaegan.spark.cli.VaeganMain
     "${gpu_args[@]}" "${files_args[@]}" "${spark_args[@]}" "$jar" "${job_args[@]}")
if [ -n "${VAEGAN_DRY_RUN:-}" ]; then
  printf '%s\n' "${cmd[@]}"
  exit 0
fi
exec "${cmd[@]}"
