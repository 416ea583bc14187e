package org.vaegan.core.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vaegan.core.config.ModelConfig;
import org.vaegan.core.config.VaeganConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The same training step in PyTorch (bench/pytorch_step.py, CPU, Debian's python3-torch), run as a
 * child process on the same machine with the architecture, routing and optimizer of the config.
 * It inherits this JVM's environment, so it runs on the same C allocator (LD_PRELOAD of bin/vaegan).
 */
public final class PyTorchPeer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path python;
    private final Path script;
    private final int threads;

    public PyTorchPeer(Path python, Path script, int threads) {
        this.python = python;
        this.script = script;
        this.threads = threads;
    }

    /** The peer's figures, as its RESULT line reports them. */
    public record Result(double imagesPerSecond, double medianSeconds, double p90Seconds, long peakRssMiB,
                         double gemmGflops, String torch, String blas, String allocator) {
    }

    /** Why the peer could not run (not installed, failed): the harness prints it and goes on. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** The spec the script reads: everything that shapes the step's cost. */
    static ObjectNode spec(VaeganConfig config, String name, int warmup, int timed, int threads) {
        ModelConfig m = config.model();
        ObjectNode s = JSON.createObjectNode();
        s.put("name", name);
        s.put("variant", m.variant().key());
        s.put("image_size", m.imageSize());
        s.put("channels", m.channels());
        s.put("latent", m.latent());
        m.encoderWidths().forEach(s.putArray("encoder_widths")::add);
        s.put("encoder_fc", m.encoderFc());
        m.decoderWidths().forEach(s.putArray("decoder_widths")::add);
        m.discriminatorWidths().forEach(s.putArray("discriminator_widths")::add);
        s.put("discriminator_fc", m.discriminatorFc());
        s.put("dis_l_layer", m.disLLayer());
        s.put("logvar_clamp", m.logvarClamp());
        s.put("batch", config.train().batchSize());
        s.put("warmup_steps", warmup);
        s.put("timed_steps", timed);
        s.put("threads", threads);
        s.put("seed", config.train().seed());
        s.put("gamma", config.loss().gamma());
        s.put("gan_reconstructions", config.loss().ganReconstructions());
        s.put("generator", config.loss().generator().key());
        s.put("log_eps", config.loss().logEpsilon());
        s.put("lr", config.optimizer().learningRate());
        s.put("rho", config.optimizer().rho());
        s.put("eps", config.optimizer().epsilon());
        s.put("weight_decay", config.optimizer().weightDecay());
        return s;
    }

    public Result run(VaeganConfig config, String name, int warmup, int timed, Consumer<String> progress)
            throws Unavailable, InterruptedException {
        if (!Files.isExecutable(python)) {
            throw new Unavailable(python + " not found (apt-get install python3-torch libopenblas0-pthread)");
        }
        if (!Files.isRegularFile(script)) {
            throw new Unavailable("peer script " + script + " not found (run from the repository, or set -Dvaegan.home)");
        }
        ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString(), "--spec", "-");
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process process;
        try {
            process = pb.start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(JSON.writeValueAsBytes(spec(config, name, warmup, timed, threads)));
            }
        } catch (IOException e) {
            throw new Unavailable("cannot start " + python + ": " + e.getMessage());
        }
        Deque<String> stderrTail = new ArrayDeque<>();
        Thread errors = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    progress.accept("  [pytorch] " + line);
                    synchronized (stderrTail) {
                        stderrTail.addLast(line);
                        if (stderrTail.size() > 5) {
                            stderrTail.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        errors.setDaemon(true);
        errors.start();
        String resultLine = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    resultLine = line.substring("RESULT ".length());
                }
            }
        } catch (IOException e) {
            throw new Unavailable("reading the peer's output: " + e.getMessage());
        }
        int code = process.waitFor();
        errors.join(2000);
        if (code != 0 || resultLine == null) {
            String tail;
            synchronized (stderrTail) {
                tail = String.join(" | ", stderrTail);
            }
            if (tail.contains("No module named 'torch'")) {
                throw new Unavailable("PyTorch is not installed for " + python + " (apt-get install python3-torch libopenblas0-pthread)");
            }
            throw new Unavailable("peer exited with " + code + ": " + tail);
        }
        try {
            JsonNode j = JSON.readTree(resultLine);
            return new Result(j.get("images_per_s").asDouble(), j.get("median_s").asDouble(), j.get("p90_s").asDouble(),
                    j.get("peak_rss_mib").asLong(), j.get("gemm_gflops").asDouble(), j.path("torch").asText("?"),
                    j.path("blas").asText("?"), j.path("allocator").asText("?") + " malloc");
        } catch (IOException | NullPointerException e) {
            throw new Unavailable("cannot read the peer's RESULT line \"" + resultLine + "\": " + e);
        }
    }
}
