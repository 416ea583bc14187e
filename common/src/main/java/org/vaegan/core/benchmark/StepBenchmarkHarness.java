package org.vaegan.core.benchmark;

import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.io.NativeAllocator;

import java.io.File;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code vaegan benchmark step}: for each model, the DL4J training step of one replica in this JVM,
 * then the same step in PyTorch right after it on the same machine, and their ratio. Prints
 * images/s (from the median and p90 step time after warm-up), achieved GFLOP/s against the
 * float32 GEMM rate measured in the same run, and peak RSS.
 */
public final class StepBenchmarkHarness {
    /** What to run: model presets (conf/models/), step counts, and whether to run the peer. */
    public record Options(List<String> models, int warmupSteps, int timedSteps, boolean peer, int peerThreads,
                         PyTorchPeer pyTorch) {
    }

    private final Options options;
    private final File userConf;
    private final List<String> overrides;

    public StepBenchmarkHarness(Options options, File userConf, List<String> overrides) {
        this.options = options;
        this.userConf = userConf;
        this.overrides = overrides;
    }

    public void run(PrintStream out) throws InterruptedException {
        out.println("native allocator: " + NativeAllocator.describe());
        out.println("measuring float32 GEMM rate (ND4J, 2048 x 2048) ...");
        double gemm = GemmRate.measure(2048, 5);
        out.printf(Locale.ROOT, "ND4J GEMM: %.0f GFLOP/s%n", gemm);
        StringBuilder summary = new StringBuilder();
        for (String model : options.models()) {
            VaeganConfig config = ConfigLoader.load(model, userConf, overrides).config();
            double flops = new ModelCost(config.model()).trainingFlopsPerImage();
            out.printf(Locale.ROOT, "== %s: %dx%dx%d, batch %d, %.2f GFLOP per training image ==%n", model,
                    config.model().imageSize(), config.model().imageSize(), config.model().channels(),
                    config.train().batchSize(), flops / 1e9);
            if (options.models().indexOf(model) > 0) {
                // The machine's rate moves by minutes: the share is taken against the best one seen.
                double again = GemmRate.measure(2048, 5);
                gemm = Math.max(gemm, again);
                out.printf(Locale.ROOT, "ND4J GEMM: %.0f GFLOP/s (using %.0f)%n", again, gemm);
            }
            StepBenchmark.Result dl4j = new StepBenchmark(config).run(options.warmupSteps(), options.timedSteps(), out::println);
            String dl4jLine = String.format(Locale.ROOT,
                    "%-9s DL4J    : %6.2f images/s | step median %.3f s, p90 %.3f s | %5.1f GFLOP/s = %4.1f%% of GEMM %.0f | peak RSS %d MiB | %s",
                    model, dl4j.imagesPerSecond(), dl4j.medianSeconds(), dl4j.p90Seconds(),
                    flops * dl4j.imagesPerSecond() / 1e9, 100 * flops * dl4j.imagesPerSecond() / 1e9 / gemm, gemm,
                    dl4j.peakRssMiB(), dl4j.rssGrowth());
            String phaseLine = String.format(Locale.ROOT, "%-9s DL4J peak RSS by phase of a step, MiB: %s", model, dl4j.phasePeaks());
            out.println(dl4jLine);
            out.println(phaseLine);
            summary.append(dl4jLine).append('\n').append(phaseLine).append('\n');
            if (!options.peer()) {
                continue;
            }
            try {
                PyTorchPeer.Result torch = options.pyTorch().run(config, model, options.warmupSteps(), options.timedSteps(), out::println);
                String torchLine = String.format(Locale.ROOT,
                        "%-9s PyTorch : %6.2f images/s | step median %.3f s, p90 %.3f s | %5.1f GFLOP/s = %4.1f%% of GEMM %.0f | peak RSS %d MiB | torch %s, %s, %d threads, %s",
                        model, torch.imagesPerSecond(), torch.medianSeconds(), torch.p90Seconds(),
                        flops * torch.imagesPerSecond() / 1e9, 100 * flops * torch.imagesPerSecond() / 1e9 / torch.gemmGflops(),
                        torch.gemmGflops(), torch.peakRssMiB(), torch.torch(), torch.blas(), options.peerThreads(), torch.allocator());
                String ratio = String.format(Locale.ROOT,
                        "%-9s ratio   : DL4J / PyTorch = %.2fx images/s, %.2fx peak RSS",
                        model, dl4j.imagesPerSecond() / torch.imagesPerSecond(),
                        (double) dl4j.peakRssMiB() / Math.max(1, torch.peakRssMiB()));
                out.println(torchLine);
                out.println(ratio);
                summary.append(torchLine).append('\n').append(ratio).append('\n');
            } catch (PyTorchPeer.Unavailable e) {
                String line = String.format(Locale.ROOT, "%-9s PyTorch : not measured: %s", model, e.getMessage());
                out.println(line);
                summary.append(line).append('\n');
            }
        }
        out.println("== summary ==");
        out.print(summary);
    }
}
