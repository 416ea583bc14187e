#!/usr/bin/env bash
# Spark's GPU discovery script (spark.executor.resource.gpu.discoveryScript, also
# spark.driver.resource.gpu.discoveryScript): prints the GPUs this container may use as
#   {"name":"gpu","addresses":["0","1"]}
# Under YARN and Kubernetes the container sees only its own GPUs, so every GPU nvidia-smi lists is
# ours. Fails loudly when nvidia-smi is missing, rather than reporting no GPUs.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "getGpusResources.sh: nvidia-smi not found; is this a GPU node with the NVIDIA driver?" >&2
  exit 1
fi
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e 's/^ *//' -e 's/ *$//' -e '/^$/d' \
  | sed -e 's/.*/"&"/' | paste -sd, -)
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
