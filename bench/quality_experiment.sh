#!/usr/bin/env bash
# Issue 10, item 4: the paper's comparison (Larsen et al. 2016, section 4) on Fashion-MNIST: the
# four variants trained alike (conf/fashion-mnist.conf, grey-28 model), each then evaluated alike on
# the test set, and their figures printed side by side. The paper's claim to check: VAE/GAN
# samples and reconstructions are sharper (Laplacian variance nearer the real images') and closer
# to the data (lower Frechet distance) than the pixel-wise VAE's.
#
# Usage: bench/quality_experiment.sh [ROUNDS] [extra train arguments, e.g. --set spark.partitions=4]
# Env:   VAEGAN (launcher, default bin/vaegan), OUT (output.dir, default runs), N (test images,
#        default 2000), VARIANTS (default "vae vae-disl vaegan gan"), FASHION_MNIST (the IDX folder).
# Cost:  at the default 60 rounds, 38,400 images per variant: about 55 minutes per variant on the
#        2-core machine of the README (12 images/s), minutes on a cluster or GPU.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
vaegan="${VAEGAN:-$root/bin/vaegan}"
rounds="${1:-60}"
shift || true
out="${OUT:-runs}"
n="${N:-2000}"
data="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
variants="${VARIANTS:-vae vae-disl vaegan gan}"

for variant in $variants; do
  run="quality-$variant"
  "$vaegan" train --conf "$root/conf/fashion-mnist.conf" --set "output.dir=$out" --set "run.name=$run" \
    --set "model.variant=$variant" --set "train.rounds=$rounds" "$@"
  # The evaluation lands in $out/$run/evaluation/ and the run's report too.
  "$vaegan" evaluate --model "$out/$run" --data "$data/t10k-images-idx3-ubyte.gz" \
    --labels "$data/t10k-labels-idx1-ubyte.gz" --n "$n" --out "$out/$run-evaluation.json" >/dev/null
done

# Side by side: one row per figure, one column per variant (the JSON is pretty-printed, one figure a line).
echo
printf '%-40s' "figure ($rounds rounds, $n test images)"
for variant in $variants; do printf '%14s' "$variant"; done
echo
for figure in reconstruction.mse reconstruction.ssim laplacian_variance.real laplacian_variance.reconstructions \
    laplacian_variance.samples frechet_distance.reconstructions frechet_distance.samples frechet_distance.real_halves \
    classifier.accuracy_real classifier.accuracy_reconstructions classifier.reconstructions_keep_class; do
  printf '%-40s' "$figure"
  for variant in $variants; do
    value="$(awk -v group="${figure%%.*}" -v key="${figure#*.}" '
      $1 == "\"" group "\"" { inside = 1; next }
      inside && /^  }/ { inside = 0 }
      inside && $1 == "\"" key "\"" { gsub(/,/, "", $3); print $3 }' "$out/quality-$variant-evaluation.json")"
    printf '%14.5g' "${value:-nan}"
  done
  echo
done
echo "reports: $(for v in $variants; do printf '%s ' "$out/quality-$v/report.html"; done)"
