package org.vaegan.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.model.Part;
import org.vaegan.core.train.Replica;
import org.vaegan.spark.TrainDriver;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code vaegan benchmark averaging}: the same training on {@code local-cluster} with 1 executor
 * of 1 core, then 2 executors of 1 core each (separate JVMs, one partition each), and the round
 * time split of the rounds after the first (which pays for executor start and native loading):
 * compute, broadcast + aggregation, averaging; the averaging overhead as a share of the round;
 * images/s and the scaling from 1 to 2 executors; bytes moved per round against the model size.
 * Needs SPARK_HOME with the job's jars in jars/ (bin/vaegan assembles one).
 */
final class AveragingBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String model;
    private final File userConf;
    private final List<String> overrides;
    private final int rounds;
    private final String executorMemory;

    AveragingBenchmark(String model, File userConf, List<String> overrides, int rounds, String executorMemory) {
        this.model = model;
        this.userConf = userConf;
        this.overrides = overrides;
        this.rounds = rounds;
        this.executorMemory = executorMemory;
    }

    /** Mean figures over the measured rounds of one configuration. */
    record Figures(int executors, double roundSeconds, double computeSeconds, double averageSeconds,
                   double broadcastAggregateSeconds, double imagesPerSecond, double trafficMiB, double stragglerRatio) {
        double overheadShare() {
            return (roundSeconds - computeSeconds) / roundSeconds;
        }
    }

    void run(PrintStream out) throws IOException {
        String sparkHome = System.getenv("SPARK_HOME");
        if (sparkHome == null || !Files.isDirectory(Path.of(sparkHome, "jars"))) {
            throw new IllegalStateException("SPARK_HOME with the job's jars in jars/ is needed for local-cluster"
                    + " (bin/vaegan sets one up in spark-job/target/spark-home)");
        }
        Path dir = Files.createTempDirectory("vaegan-averaging-benchmark");
        List<Figures> all = new ArrayList<>();
        for (int executors : new int[] {1, 2}) {
            all.add(measure(executors, dir, out));
        }
        var config = ConfigLoader.load(model, userConf, overrides).config();
        Replica replica = new Replica(config);
        long params = 0;
        for (Part p : Part.values()) {
            params += replica.networks().numParams(p);
        }
        double paramMiB = 4.0 * params / (1 << 20);
        out.printf(Locale.ROOT, "== averaging benchmark: %s, batch %d, %d local steps per round, rounds 2..%d measured ==%n",
                model, config.train().batchSize(), config.spark().averagingSteps(), rounds);
        out.printf(Locale.ROOT, "model: %d parameters = %.1f MiB; the state sent each way is parameters + RMSProp state%n",
                params, paramMiB);
        for (Figures f : all) {
            out.printf(Locale.ROOT,
                    "%d executor(s) x 1 core: round %.1f s = compute %.1f s + broadcast/aggregate %.2f s + averaging %.3f s;"
                            + " overhead %.1f %% of the round; %.2f images/s; straggler ratio %.2f; %.1f MiB moved per round"
                            + " (%.1fx the parameters)%n",
                    f.executors(), f.roundSeconds(), f.computeSeconds(), f.broadcastAggregateSeconds(), f.averageSeconds(),
                    100 * f.overheadShare(), f.imagesPerSecond(), f.stragglerRatio(), f.trafficMiB(), f.trafficMiB() / paramMiB);
        }
        out.printf(Locale.ROOT, "scaling 1 -> 2 executors: %.0f %% (images/s with 2 / twice images/s with 1)%n",
                100 * all.get(1).imagesPerSecond() / (2 * all.get(0).imagesPerSecond()));
    }

    /** The worker memory of local-cluster must hold the executor's heap. */
    private int executorMemoryMiB() {
        String m = executorMemory.trim().toLowerCase(Locale.ROOT);
        int value = Integer.parseInt(m.replaceAll("[^0-9]", ""));
        return m.endsWith("g") ? value * 1024 : value;
    }

    private Figures measure(int executors, Path dir, PrintStream out) throws IOException {
        List<String> sets = new ArrayList<>(overrides);
        String name = "executors-" + executors;
        sets.addAll(List.of("spark.master=local-cluster[" + executors + ",1," + executorMemoryMiB() + "]",
                "spark.partitions=" + executors,
                "train.rounds=" + rounds, "output.dir=" + dir, "run.name=" + name,
                "output.sample-every-rounds=" + rounds));
        ConfigLoader.Loaded loaded = ConfigLoader.load(model, userConf, sets);
        SparkConf conf = VaeganMain.sparkConf(loaded);
        conf.set("spark.executor.memory", executorMemory)
                // One core per executor means one thread per kernel too.
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                // and one core for the JVM's own threads (GC, JIT), as a 1-core container's cgroup would
                // show it: otherwise the lone executor of the first run borrows the idle second core.
                .set("spark.executor.extraJavaOptions",
                        (conf.get("spark.executor.extraJavaOptions", "") + " -XX:ActiveProcessorCount=1").trim())
                // bin/vaegan's glibc setting (see there); -Dspark.executorEnv.MALLOC_MMAP_THRESHOLD_=... overrides
                .setIfMissing("spark.executorEnv.MALLOC_MMAP_THRESHOLD_", "1048576");
        out.printf("running %s on %s ...%n", model, conf.get("spark.master"));
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            new TrainDriver(loaded).run(sc);
        }
        List<String> lines = Files.readAllLines(dir.resolve(name).resolve("metrics.jsonl"));
        double round = 0, compute = 0, average = 0, broadcast = 0, images = 0, traffic = 0, straggler = 0;
        int n = 0;
        for (String text : lines.subList(1, lines.size())) {
            JsonNode line = JSON.readTree(text);
            JsonNode time = line.get("time_s");
            round += time.get("round").asDouble();
            compute += time.get("compute_max").asDouble();
            average += time.get("average").asDouble();
            broadcast += time.get("broadcast_and_aggregate").asDouble();
            images += line.get("images_per_s").asDouble();
            traffic += line.get("traffic_mib").get("broadcast_state").asDouble() * executors
                    + line.get("traffic_mib").get("partition_results").asDouble();
            straggler += time.get("straggler_ratio").asDouble();
            n++;
        }
        return new Figures(executors, round / n, compute / n, average / n, broadcast / n, images / n, traffic / n, straggler / n);
    }
}
