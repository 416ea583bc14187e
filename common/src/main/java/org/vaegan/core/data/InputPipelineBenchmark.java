package org.vaegan.core.data;

import org.vaegan.core.benchmark.StepBenchmark;
import org.vaegan.core.config.VaeganConfig;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code vaegan benchmark data}: decode-and-preprocess throughput per core for 64x64 JPEG input
 * (and CelebA-sized input), against the training step's images/s of the given models measured in
 * the same JVM. The input pipeline must be at least {@value #TARGET}x faster than training on one
 * core, so decoding never stalls a step.
 */
public final class InputPipelineBenchmark {
    public static final double TARGET = 10;

    private final Map<String, VaeganConfig> models;
    private final int warmupSteps;
    private final int timedSteps;
    private final double secondsPerMeasurement;

    public InputPipelineBenchmark(Map<String, VaeganConfig> models, int warmupSteps, int timedSteps, double secondsPerMeasurement) {
        this.models = models;
        this.warmupSteps = warmupSteps;
        this.timedSteps = timedSteps;
        this.secondsPerMeasurement = secondsPerMeasurement;
    }

    public void run(PrintStream out) {
        int cores = Runtime.getRuntime().availableProcessors();
        DecodeBenchmark decode = new DecodeBenchmark(secondsPerMeasurement);
        out.printf(Locale.ROOT, "== input pipeline: javax.imageio decode + crop/resize to uint8, %d cores ==%n", cores);
        List<DecodeBenchmark.Result> results = new ArrayList<>();
        for (int threads : cores > 1 ? List.of(1, cores) : List.of(1)) {
            DecodeBenchmark.Result small = decode.small(threads);
            out.println(small.describe());
            results.add(small);
        }
        for (int threads : cores > 1 ? List.of(1, cores) : List.of(1)) {
            out.println(decode.celeba(threads).describe());
        }
        double perCore = results.get(0).perThread();
        List<String> summary = new ArrayList<>();
        for (Map.Entry<String, VaeganConfig> model : models.entrySet()) {
            VaeganConfig config = model.getValue();
            out.printf(Locale.ROOT, "== training step: %s (%dx%dx%d, batch %d), %d warm-up + %d timed steps ==%n", model.getKey(),
                    config.model().imageSize(), config.model().imageSize(), config.model().channels(), config.train().batchSize(),
                    warmupSteps, timedSteps);
            StepBenchmark.Result step = new StepBenchmark(config).run(warmupSteps, timedSteps, out::println);
            double ratio = perCore / step.imagesPerSecond();
            summary.add(String.format(Locale.ROOT,
                    "%-9s training %6.2f images/s (all cores) | 64x64 JPEG decode %6.0f images/s on ONE core = %6.0fx training | target >= %.0fx: %s",
                    model.getKey(), step.imagesPerSecond(), perCore, ratio, TARGET, ratio >= TARGET ? "met" : "NOT MET"));
        }
        out.println("== summary ==");
        for (DecodeBenchmark.Result r : results) {
            out.println(r.describe());
        }
        summary.forEach(out::println);
    }
}
