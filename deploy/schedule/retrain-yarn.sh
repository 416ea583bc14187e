#!/usr/bin/env bash
# Nightly warm-start retraining on YARN (README, Scheduled retraining): trains yesterday's data
# partition starting from the newest exported model version, then exports the run as the next
# version. Run it from cron on a gateway host (crontab.example); rerunning a night resumes that
# night's run from its own checkpoints.
#
# Usage: deploy/schedule/retrain-yarn.sh [YYYY-MM-DD]   (default: yesterday, UTC)
# Environment (besides deploy/yarn/submit.sh's SPARK_HOME, HADOOP_CONF_DIR, VAEGAN_JAR, VAEGAN_GPUS):
#   VAEGAN_RETRAIN_CONF  the job config; default hdfs:///vaegan/conf/nightly.conf
#   DATA                 the folder of the daily partitions dt=YYYY-MM-DD; default hdfs:///vaegan/data/faces
#   RUNS                 default hdfs:///vaegan/runs
#   MODELS               default hdfs:///vaegan/models
#   MODEL_NAME           default faces (its first version is exported by hand: README, Models and inference)
#   VAEGAN_DRY_RUN=1     print both commands instead of running them
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
day="${1:-$(date -u -d yesterday +%F)}"
conf="${VAEGAN_RETRAIN_CONF:-hdfs:///vaegan/conf/nightly.conf}"
data="${DATA:-hdfs:///vaegan/data/faces}"
runs="${RUNS:-hdfs:///vaegan/runs}"
models="${MODELS:-hdfs:///vaegan/models}"
name="${MODEL_NAME:-faces}"
run="nightly-$day"

echo "retrain-yarn.sh: $run from $models/$name on $data/dt=$day" >&2
# Cluster mode: the YARN client exits non-zero when the application fails, so a failed night
# exports nothing (set -e).
"$root/deploy/yarn/submit.sh" -- train --conf "$conf" \
  --set vaegan.run.name="$run" \
  --set vaegan.init.from="$models/$name" \
  --set vaegan.data.path="$data/dt=$day" \
  --set vaegan.output.dir="$runs"
# export needs no executors: client mode runs it on this host.
"$root/deploy/yarn/submit.sh" --deploy-mode client -- export \
  --run "$runs/$run" --models-dir "$models" --name "$name"
