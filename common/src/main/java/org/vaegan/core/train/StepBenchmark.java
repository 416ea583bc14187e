package org.vaegan.core.train;

import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.io.ProcessMemory;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/** Times training steps of one replica in this JVM (no Spark): images/s, step-time spread, memory. */
public final class StepBenchmark {
    private final VaeganConfig config;

    public StepBenchmark(VaeganConfig config) {
        this.config = config;
    }

    /** The figures of one benchmark run. */
    public record Result(int batch, int steps, double imagesPerSecond, double medianSeconds, double p90Seconds,
                         long rssMiB, long peakRssMiB) {
        public String describe() {
            return String.format(Locale.ROOT,
                    "step benchmark: batch %d, %d timed steps: %.1f images/s, step median %.3f s, p90 %.3f s (p90/median %.2f), RSS %d MiB, peak RSS %d MiB",
                    batch, steps, imagesPerSecond, medianSeconds, p90Seconds, p90Seconds / medianSeconds, rssMiB, peakRssMiB);
        }
    }

    public Result run(int warmupSteps, int timedSteps, Consumer<String> progress) {
        int batch = config.train().batchSize();
        Replica replica = new Replica(config);
        Shard shard = Shard.synthetic(0, Math.max(batch, 256), config.model().channels(), config.model().imageSize(),
                config.train().seed());
        double[] seconds = new double[timedSteps];
        for (int s = 0; s < warmupSteps + timedSteps; s++) {
            StepDraws draws = StepDraws.of(config.train().seed(), 0, 0, s, shard.images(), batch, config.model().latent());
            long t0 = System.nanoTime();
            replica.step(shard.batch(draws.rows()), draws.noise(), draws.prior());
            MemoryBound.afterStep(config.train(), s);
            double dt = (System.nanoTime() - t0) / 1e9;
            if (s >= warmupSteps) {
                seconds[s - warmupSteps] = dt;
            }
            progress.accept(String.format(Locale.ROOT, "step %d/%d: %.3f s, RSS %d MiB", s + 1, warmupSteps + timedSteps,
                    dt, ProcessMemory.rssMiB()));
        }
        double total = Arrays.stream(seconds).sum();
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        return new Result(batch, timedSteps, timedSteps * batch / total, sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)],
                ProcessMemory.rssMiB(), ProcessMemory.peakRssMiB());
    }
}
