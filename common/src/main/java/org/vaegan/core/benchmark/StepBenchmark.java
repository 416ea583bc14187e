package org.vaegan.core.benchmark;

import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.io.ProcessMemory;
import org.vaegan.core.train.MemoryBound;
import org.vaegan.core.train.Replica;
import org.vaegan.core.train.StepDraws;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/** Times training steps of one replica in this JVM (no Spark): images/s, step-time spread, memory. */
public final class StepBenchmark {
    private final VaeganConfig config;

    public StepBenchmark(VaeganConfig config) {
        this.config = config;
    }

    /**
     * The figures of one benchmark run; peak RSS is this JVM's since the run began, and the peak of
     * each phase of a step (max over all steps, MiB) shows where it is reached. Resident memory
     * is also taken after the warm-up and after the last step, to show growth over the timed steps
     * ({@code --warmup 100 --steps 900}: steps 100 and 1000).
     */
    public record Result(int batch, int warmupSteps, int steps, double imagesPerSecond, double medianSeconds,
                         double p90Seconds, long rssAfterWarmupMiB, long rssMiB, long peakRssMiB, String phasePeaks) {
        public String describe() {
            return String.format(Locale.ROOT,
                    "batch %d, %d timed steps: %.2f images/s, step median %.3f s, p90 %.3f s, peak RSS %d MiB, %s",
                    batch, steps, imagesPerSecond, medianSeconds, p90Seconds, peakRssMiB, rssGrowth());
        }

        /** "RSS at step W: X MiB, at step W+T: Y MiB (+Z)": flat memory shows as a growth near 0. */
        public String rssGrowth() {
            return String.format(Locale.ROOT, "RSS at step %d: %d MiB, at step %d: %d MiB (%+d)", warmupSteps,
                    rssAfterWarmupMiB, warmupSteps + steps, rssMiB, rssMiB - rssAfterWarmupMiB);
        }
    }

    public Result run(int warmupSteps, int timedSteps, Consumer<String> progress) {
        PhaseMemoryProfile memory = new PhaseMemoryProfile();
        int batch = config.train().batchSize();
        Replica replica = new Replica(config, memory);
        Shard shard = Shard.synthetic(0, Math.max(batch, 256), config.model().channels(), config.model().imageSize(),
                config.train().seed());
        double[] seconds = new double[timedSteps];
        long rssAfterWarmup = ProcessMemory.rssMiB();
        for (int s = 0; s < warmupSteps + timedSteps; s++) {
            StepDraws draws = StepDraws.of(config.train().seed(), 0, 0, s, shard.images(), batch, config.model().latent());
            long t0 = System.nanoTime();
            replica.step(shard.batch(draws.rows()), draws.noise(), draws.prior());
            MemoryBound.afterStep(config.train(), s);
            double dt = (System.nanoTime() - t0) / 1e9;
            if (s >= warmupSteps) {
                seconds[s - warmupSteps] = dt;
            }
            if (s + 1 == warmupSteps) {
                rssAfterWarmup = ProcessMemory.rssMiB();
            }
            progress.accept(String.format(Locale.ROOT, "  step %d/%d%s: %.3f s, RSS %d MiB", s + 1, warmupSteps + timedSteps,
                    s < warmupSteps ? " (warm-up)" : "", dt, ProcessMemory.rssMiB()));
        }
        return new Result(batch, warmupSteps, timedSteps, timedSteps * batch / Arrays.stream(seconds).sum(),
                percentile(seconds, 0.5), percentile(seconds, 0.9), rssAfterWarmup, ProcessMemory.rssMiB(),
                memory.overallPeakMiB(), memory.describe());
    }

    /** The nearest-rank percentile: the smallest value with at least {@code q} of the values at or below it. */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
