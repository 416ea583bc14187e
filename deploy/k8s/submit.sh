#!/usr/bin/env bash
# Submits the VAE/GAN job to Kubernetes with spark-submit (cluster mode: the driver runs in a pod).
#
# Usage: deploy/k8s/submit.sh [--dry-run] [spark-submit options] [--] <command> [job options]
#   deploy/k8s/submit.sh -- train --conf /opt/vaegan/conf/celeba-64.conf \
#       --set vaegan.data.path=s3a://bucket/img_align_celeba --set vaegan.output.dir=s3a://bucket/runs
#   VAEGAN_GPUS=1 deploy/k8s/submit.sh --conf spark.executor.instances=8 -- train --conf s3a://bucket/conf/my.conf
# Options before "--" go to spark-submit (after the defaults, so they win); the rest to the job.
# The job's --conf is read inside the driver pod: give a file baked into the image
# (/opt/vaegan/conf/..., conf/NAME is taken to mean that one) or an hdfs:// / s3a:// URI.
# Environment:
#   SPARK_HOME               a Spark 3.5 distribution (Scala 2.12) with its Kubernetes module; required
#   K8S_API                  the API server, e.g. https://10.0.0.1:6443 (kubectl cluster-info); required
#   VAEGAN_K8S_NAMESPACE     default: vaegan (deploy/k8s/serviceaccount.yaml creates it)
#   VAEGAN_SERVICE_ACCOUNT   default: vaegan-spark (deploy/k8s/rbac.yaml lets it run executors)
#   VAEGAN_IMAGE             the image of deploy/k8s/Dockerfile; default: vaegan-spark:0.1.0-SNAPSHOT
#   VAEGAN_CUDA_IMAGE        the image of deploy/k8s/Dockerfile.cuda, for GPU executors;
#                            default: VAEGAN_IMAGE with "-cuda" appended to its tag
#   VAEGAN_GPUS=N            GPU executors: N GPUs each (one per task), the CUDA image, the GPU pod
#                            template; the driver stays on the CPU image without a GPU
#   VAEGAN_SPARK_PROPERTIES  default: deploy/k8s/vaegan-k8s.properties
#   VAEGAN_DRY_RUN=1         (or --dry-run) print the spark-submit command, one argument a line
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version=0.1.0-SNAPSHOT

dry_run="${VAEGAN_DRY_RUN:-}"
if [ "${1:-}" = "--dry-run" ]; then
  dry_run=1
  shift
fi

: "${SPARK_HOME:?set SPARK_HOME to a Spark 3.5 (Scala 2.12) distribution}"
: "${K8S_API:?set K8S_API to the Kubernetes API server, e.g. https://10.0.0.1:6443 (kubectl cluster-info)}"
namespace="${VAEGAN_K8S_NAMESPACE:-vaegan}"
service_account="${VAEGAN_SERVICE_ACCOUNT:-vaegan-spark}"
image="${VAEGAN_IMAGE:-vaegan-spark:$version}"
cuda_image="${VAEGAN_CUDA_IMAGE:-$image-cuda}"
props="${VAEGAN_SPARK_PROPERTIES:-$here/vaegan-k8s.properties}"
# Where the Dockerfiles put the jar and the discovery script inside the image.
jar=local:///opt/vaegan/vaegan-spark-job.jar
discovery=/opt/vaegan/bin/getGpusResources.sh

# shellcheck source=../lib/submit-args.sh
source "$here/../lib/submit-args.sh"
split_submit_args "$@"

# The driver reads --conf in its pod: only the image's files and remote URIs exist there.
for ((i = 0; i < ${#job_args[@]}; i++)); do
  if [ "${job_args[$i]}" = "--conf" ] && [ $((i + 1)) -lt ${#job_args[@]} ]; then
    conf="${job_args[$((i + 1))]}"
    if [[ "$conf" == *://* ]] || [[ "$conf" == /* ]]; then
      continue
    elif [[ "$conf" == conf/* ]]; then
      job_args[$((i + 1))]="/opt/vaegan/$conf"
    else
      echo "submit.sh: --conf $conf: the driver runs in a pod and cannot read a local file; put it in" \
        "hdfs:// or s3a:// (--conf takes any Hadoop URI) or into the image's /opt/vaegan/conf/" >&2
      exit 2
    fi
  fi
done

executor_template="$here/executor-pod-template.yaml"
executor_image="$image"
gpu_args=()
if [ -n "${VAEGAN_GPUS:-}" ]; then
  executor_template="$here/executor-pod-template-gpu.yaml"
  executor_image="$cuda_image"
  # vendor nvidia.com: Spark puts nvidia.com/gpu: N into the executor pods' limits.
  gpu_args=(--conf "spark.executor.resource.gpu.amount=$VAEGAN_GPUS"
            --conf "spark.executor.resource.gpu.vendor=nvidia.com"
            --conf "spark.executor.resource.gpu.discoveryScript=$discovery"
            --conf "spark.task.resource.gpu.amount=1")
fi

cmd=("$SPARK_HOME/bin/spark-submit" --master "k8s://$K8S_API" --deploy-mode cluster
     --name "vaegan-${job_args[0]}" --properties-file "$props"
     --class org.vaegan.spark.cli.VaeganMain
     --conf "spark.kubernetes.namespace=$namespace"
     --conf "spark.kubernetes.authenticate.driver.serviceAccountName=$service_account"
     --conf "spark.kubernetes.driver.container.image=$image"
     --conf "spark.kubernetes.executor.container.image=$executor_image"
     --conf "spark.kubernetes.driver.podTemplateFile=$here/driver-pod-template.yaml"
     --conf "spark.kubernetes.executor.podTemplateFile=$executor_template"
     "${gpu_args[@]}" "${spark_args[@]}" "$jar" "${job_args[@]}")
if [ -n "$dry_run" ]; then
  printf '%s\n' "${cmd[@]}"
  exit 0
fi
exec "${cmd[@]}"
