#!/usr/bin/env bash
# Issue 10, item 4: the paper's comparison (Larsen et al. 2016, section 4) on Fashion-MNIST: the
# variants trained alike (conf/fashion-mnist.conf, grey-28 model) on one worker and on two
# executors, each then evaluated alike on the test set, and their figures printed side by side.
# The paper's claim to check: VAE/GAN samples and reconstructions are sharper (Laplacian variance
# nearer the real images') and closer to the data (lower Frechet distance) than the pixel-wise
# VAE's, while the reconstructions keep their class. And ours: two executors that average every
# round learn what one worker learns from the same images.
#
# Usage: bench/quality_experiment.sh [ROUNDS] [extra train arguments, e.g. --set train.batch-size=32]
# Env:   VAEGAN (launcher, default bin/vaegan), OUT (output.dir, default runs), N (test images,
#        default 2000), VARIANTS (default "vae vaegan"; also vae-disl, gan), LAYOUTS (default
#        "1w 2x": one worker, two executors), FASHION_MNIST (the IDX folder).
# Layouts, the same images per round (2 x averaging.steps x batch) and the same rounds:
#   1w  one replica (1 partition, twice the local steps per round) in local[*], all cores;
#   2x  two executor JVMs of one core each (local-cluster), 2 partitions averaged every round.
# Cost on the README's 2-core machine at 30 rounds (19,200 images per run), nothing else running:
#   vaegan 18 images/s on 1w (18 min), 23 on 2x (14 min); vae 86 and 104 (4 min each); evaluation
#   10 s per run, plus 40 s to train the classifier on first use; 48 min in all.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
vaegan="${VAEGAN:-$root/bin/vaegan}"
rounds="${1:-30}"
shift || true
out="${OUT:-runs}"
n="${N:-2000}"
data="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
variants="${VARIANTS:-vae vaegan}"
layouts="${LAYOUTS:-1w 2x}"
steps=5

for layout in $layouts; do
  case "$layout" in
    1w) sets=(--set spark.master="local[*]" --set spark.partitions=1 --set spark.averaging.steps=$((2 * steps)))
        java_opts="" ;;
    2x) sets=(--set spark.master="local-cluster[2,1,2048]" --set spark.partitions=2 --set spark.averaging.steps=$steps)
        # One core per executor means one thread per kernel too; bin/vaegan's glibc setting for them.
        java_opts="-Dspark.executor.memory=1g -Dspark.executorEnv.OMP_NUM_THREADS=1 -Dspark.executorEnv.MALLOC_MMAP_THRESHOLD_=1048576" ;;
    *) echo "quality_experiment: unknown layout '$layout' in LAYOUTS (valid: 1w 2x)" >&2; exit 2 ;;
  esac
  for variant in $variants; do
    run="quality-$variant-$layout"
    echo "== $run: $rounds rounds, $(date -u +%H:%M:%S) UTC" >&2
    VAEGAN_JAVA_OPTS="$java_opts ${VAEGAN_JAVA_OPTS:-}" "$vaegan" train --conf "$root/conf/fashion-mnist.conf" \
      --set "output.dir=$out" --set "run.name=$run" --set "model.variant=$variant" --set "train.rounds=$rounds" \
      "${sets[@]}" "$@"
    # The evaluation lands in $out/$run/evaluation/ and the run's report too.
    "$vaegan" evaluate --model "$out/$run" --data "$data/t10k-images-idx3-ubyte.gz" \
      --labels "$data/t10k-labels-idx1-ubyte.gz" --n "$n" --out "$out/$run-evaluation.json" >/dev/null
  done
done

# One figure from an evaluation JSON (pretty-printed: one figure a line, groups closed by "  }").
figure() {
  awk -v group="${1%%.*}" -v key="${1#*.}" '
    $1 == "\"" group "\"" { inside = 1; next }
    inside && /^  }/ { inside = 0 }
    inside && $1 == "\"" key "\"" { gsub(/,/, "", $3); print $3 }' "$2"
}

# Side by side: one row per figure, one column per run; with both layouts, the change from one
# worker to two executors per variant.
echo
printf '%-36s' "figure ($rounds rounds, $n test images)"
for layout in $layouts; do for variant in $variants; do printf '%14s' "$variant-$layout"; done; done
if [ "$layouts" = "1w 2x" ]; then for variant in $variants; do printf '%14s' "$variant 2x/1w"; done; fi
echo
for name in reconstruction.mse reconstruction.ssim laplacian_variance.real laplacian_variance.reconstructions \
    laplacian_variance.samples frechet_distance.reconstructions frechet_distance.samples frechet_distance.real_halves \
    classifier.accuracy_real classifier.accuracy_reconstructions classifier.reconstructions_keep_class; do
  printf '%-36s' "$name"
  for layout in $layouts; do
    for variant in $variants; do
      value="$(figure "$name" "$out/quality-$variant-$layout-evaluation.json")"
      printf '%14.5g' "${value:-nan}"
    done
  done
  if [ "$layouts" = "1w 2x" ]; then
    for variant in $variants; do
      one="$(figure "$name" "$out/quality-$variant-1w-evaluation.json")"
      two="$(figure "$name" "$out/quality-$variant-2x-evaluation.json")"
      if [ -n "$one" ] && [ -n "$two" ]; then
        awk -v a="$one" -v b="$two" 'BEGIN { if (a == 0) printf "%14s", "-"; else printf "%13.1f%%", 100 * (b - a) / a }'
      else
        printf '%14s' "-"
      fi
    done
  fi
  echo
done
echo "reports: $(for l in $layouts; do for v in $variants; do printf '%s ' "$out/quality-$v-$l/report.html"; done; done)"
