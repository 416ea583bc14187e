package org.vaegan.spark.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.vaegan.core.benchmark.PyTorchPeer;
import org.vaegan.core.benchmark.StepBenchmarkHarness;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.InvalidConfigException;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.BadDataException;
import org.vaegan.core.data.InputPipelineBenchmark;
import org.vaegan.core.io.UnusableCheckpointException;
import org.vaegan.core.train.NonFiniteTrainingException;
import org.vaegan.spark.TrainDriver;
import org.vaegan.spark.VaeganKryoRegistrator;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The launcher of bin/vaegan and of spark-submit: {@code <command> [--conf FILE] [--set key=value]...}.
 * Returns an exit code instead of exiting, so tests can call it.
 */
public final class VaeganMain {
    static final String USAGE = """
            usage: vaegan <command> [--conf FILE] [--set key=value]...
            commands:
              train      train a VAE/GAN on Spark (the embedded default: local Spark, synthetic shapes);
                         a run folder with checkpoints continues from its newest valid one
                         (--resume: and fail if there is none)
              benchmark step
                         time the training step of one replica in this JVM (no Spark) for the
                         32x32 and the 64x64 model, then the same step in PyTorch, and compare
              benchmark data
                         decode + preprocess throughput per core (64x64 JPEG, CelebA-sized JPEG)
                         against the training step's images/s of the same models (--models none:
                         decoding only; defaults --warmup 1 --steps 2)
              benchmark averaging
                         the same training on local-cluster with 1 and with 2 executors of one
                         core: round time split, averaging overhead, scaling, bytes per round
                         (--models one preset, default paper-64; --steps N measured rounds, default 2)
            options:
              --conf FILE        HOCON file with overrides of conf/reference.conf (a local path or hdfs://, s3a://)
              --set key=value    one setting, e.g. --set train.rounds=5 (repeatable; later wins)
              --resume           train: continue from the run's newest valid checkpoint, fail if none
              --help             this text
            benchmark options:
              --models a,b       model presets from conf/models/ (default cifar-32,paper-64)
              --warmup N         untimed steps first (default 2)
              --steps N          timed steps (default 5); RSS is printed after the warm-up and
                                 after the last step (--warmup 100 --steps 900: steps 100 and 1000)
              --no-peer          skip the PyTorch peer
            model commands (no Spark; the command comes first; paths are Hadoop URIs or local paths):
            """ + InferenceCommands.USAGE + "\n" + EvaluationCommands.USAGE.indent(2);

    private static final List<String> BENCHMARK_MODELS = List.of("cifar-32", "paper-64");
    private static final int BENCHMARK_WARMUP_STEPS = 2;
    private static final int BENCHMARK_TIMED_STEPS = 5;
    private static final int PEER_THREADS = 2;
    private static final int DATA_BENCHMARK_WARMUP_STEPS = 1;
    private static final int DATA_BENCHMARK_TIMED_STEPS = 2;
    private static final double DATA_BENCHMARK_SECONDS = 3;

    private VaeganMain() {
    }

    public static void main(String[] args) {
        // An OutOfMemoryError in one of Spark's driver threads (e.g. a task-result getter) would
        // leave the job waiting forever: stop instead, so the shutdown hook checkpoints the last
        // complete round and the user reads what to raise.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (reportUncaught(thread, e, System.err)) {
                Runtime.getRuntime().exit(1);
            }
        });
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * What the JVM-wide handler says of an exception no code caught: for an OutOfMemoryError what to
     * raise (and true: the process should stop), for anything else its stack trace as the JVM prints
     * it (a handler that printed nothing had made such a failure end the process without a word).
     */
    static boolean reportUncaught(Thread thread, Throwable e, PrintStream err) {
        if (e instanceof OutOfMemoryError) {
            err.println("error: the driver ran out of heap in thread " + thread.getName() + " (" + e.getMessage()
                    + "): raise VAEGAN_HEAP (bin/vaegan) or spark.driver.memory; it holds about 4 model states"
                    + " (the state, its broadcast pieces, the running sum and one partition's update)");
            return true;
        }
        err.print("Exception in thread \"" + thread.getName() + "\" ");
        e.printStackTrace(err);
        return false;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && InferenceCommands.handles(args[0])) {
            return InferenceCommands.run(args, out, err);
        }
        if (args.length > 0 && EvaluationCommands.handles(args[0])) {
            return EvaluationCommands.run(args, out, err);
        }
        ParsedArgs parsed;
        try {
            parsed = ParsedArgs.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (parsed.help()) {
            out.println(USAGE);
            return 0;
        }
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(parsed.confFile(), parsed.overrides());
            if ("benchmark".equals(parsed.command())) {
                return benchmark(parsed, out, err);
            }
        } catch (InvalidConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (!"train".equals(parsed.command())) {
            err.println("error: unknown command \"" + parsed.command() + "\"; valid: train, benchmark, export, sample, reconstruct,"
                    + " interpolate, attribute, report, evaluate, train-classifier" + (InferenceCommands.handles(parsed.command())
                    || EvaluationCommands.handles(parsed.command()) ? " (all but train and benchmark come first)" : ""));
            err.println(USAGE);
            return 2;
        }
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf(loaded))) {
            TrainDriver.Summary summary = new TrainDriver(loaded).run(sc);
            if (summary.roundsTrained() == 0) {
                out.printf("nothing to train: %s already holds every round of vaegan.train.rounds (raise it to continue)%n",
                        summary.layout().root());
            } else {
                out.printf("run finished: %s (%d rounds, %.1fs, %.1f images/s, peak RSS %d MiB)%n", summary.layout().root(),
                        summary.roundsTrained(), summary.wallSeconds(), summary.imagesPerSecond(), summary.peakRssMiB());
            }
            return 0;
        } catch (UnusableCheckpointException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (InvalidConfigException e) {
            // A data setting that only the data could refute (missing path, crop larger than the pictures).
            err.println("error: " + e.getMessage());
            return 2;
        } catch (BadDataException e) {
            err.println("error: data: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            NonFiniteTrainingException diverged = findCause(e, NonFiniteTrainingException.class);
            if (diverged != null) {
                // A known way for training to end: the message says what went bad and what to try.
                err.println("error: training stopped: " + diverged.getMessage());
                return 1;
            }
            err.println("error: training failed: " + e);
            e.printStackTrace(err);
            return 1;
        } catch (LinkageError e) {
            // A jar missing from the classpath (a Spark without some library, a jar not shaded):
            // say so plainly instead of leaving spark-submit to exit without a word.
            err.println("error: a class could not be loaded (" + e + "): the classpath lacks a library;"
                    + " run the shaded jar spark-job/target/vaegan-spark-job-*.jar on a complete Spark 3.5 (Scala 2.12) distribution");
            e.printStackTrace(err);
            return 1;
        }
    }

    private static int benchmark(ParsedArgs parsed, PrintStream out, PrintStream err) {
        if ("data".equals(parsed.subcommand())) {
            return benchmarkData(parsed, out, err);
        }
        if ("averaging".equals(parsed.subcommand())) {
            List<String> model = modelPresets(parsed, List.of("paper-64"), false, err);
            if (model == null || model.size() != 1) {
                if (model != null) {
                    err.println("error: --models: benchmark averaging takes one model, got " + parsed.models());
                }
                return 2;
            }
            try {
                new AveragingBenchmark(model.get(0), parsed.confFile(), parsed.overrides(),
                        parsed.steps() != null ? parsed.steps() + 1 : 3, System.getProperty("vaegan.executor.memory", "3g")).run(out);
            } catch (IOException | RuntimeException e) {
                err.println("error: averaging benchmark failed: " + e);
                return 1;
            }
            return 0;
        }
        if (parsed.subcommand() != null && !"step".equals(parsed.subcommand())) {
            err.println("error: unknown benchmark \"" + parsed.subcommand() + "\"; valid: step, data, averaging");
            return 2;
        }
        List<String> models = modelPresets(parsed, BENCHMARK_MODELS, false, err);
        if (models == null) {
            return 2;
        }
        for (String m : models) {
            ConfigLoader.load(m, parsed.confFile(), parsed.overrides()); // validate before hours of timing
        }
        Path home = Path.of(System.getProperty("vaegan.home", "."));
        PyTorchPeer peer = new PyTorchPeer(Path.of(System.getProperty("vaegan.python", "/usr/bin/python3")),
                home.resolve("bench/pytorch_step.py"), PEER_THREADS);
        StepBenchmarkHarness.Options options = new StepBenchmarkHarness.Options(models,
                parsed.warmup() != null ? parsed.warmup() : BENCHMARK_WARMUP_STEPS,
                parsed.steps() != null ? parsed.steps() : BENCHMARK_TIMED_STEPS,
                !parsed.noPeer(), PEER_THREADS, peer);
        try {
            new StepBenchmarkHarness(options, parsed.confFile(), parsed.overrides()).run(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            err.println("error: step benchmark failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
        return 0;
    }

    private static int benchmarkData(ParsedArgs parsed, PrintStream out, PrintStream err) {
        List<String> names = modelPresets(parsed, BENCHMARK_MODELS, true, err);
        if (names == null) {
            return 2;
        }
        Map<String, VaeganConfig> models = new LinkedHashMap<>();
        for (String m : names) {
            models.put(m, ConfigLoader.load(m, parsed.confFile(), parsed.overrides()).config());
        }
        new InputPipelineBenchmark(models, parsed.warmup() != null ? parsed.warmup() : DATA_BENCHMARK_WARMUP_STEPS,
                parsed.steps() != null ? parsed.steps() : DATA_BENCHMARK_TIMED_STEPS, DATA_BENCHMARK_SECONDS).run(out);
        return 0;
    }

    /**
     * The presets named by --models ({@code defaults} when none given; "none" is an empty list
     * where allowed), or null after an error naming the unknown preset and the valid ones.
     */
    private static List<String> modelPresets(ParsedArgs parsed, List<String> defaults, boolean noneAllowed, PrintStream err) {
        if (parsed.models() == null) {
            return defaults;
        }
        if (noneAllowed && "none".equals(parsed.models())) {
            return List.of();
        }
        List<String> names = List.of(parsed.models().split(","));
        for (String m : names) {
            if (!ConfigLoader.MODEL_PRESETS.contains(m)) {
                err.println("error: --models: unknown model \"" + m + "\"; valid: " + (noneAllowed ? "none, " : "")
                        + String.join(", ", ConfigLoader.MODEL_PRESETS));
                return null;
            }
        }
        return names;
    }

    /** The first throwable of {@code type} in the cause chain (Spark wraps executor failures). */
    static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** spark-submit's --master and --conf win; the config's master applies when nothing set one. */
    static SparkConf sparkConf(ConfigLoader.Loaded loaded) {
        SparkConf conf = new SparkConf().setAppName("vaegan-" + loaded.config().output().runName());
        if (!conf.contains("spark.master")) {
            conf.setMaster(loaded.config().spark().master());
        }
        // Kryo for the round path (broadcast state, partition updates, cached shards).
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", VaeganKryoRegistrator.class.getName());
        // Partition updates are model-sized: fetch and deserialize them one at a time, so the
        // driver holds one in flight whatever the number of partitions (the default 4 threads
        // ran a 3 GiB driver out of heap with two 388 MiB updates arriving together).
        conf.setIfMissing("spark.resultGetter.threads", "1");
        // The model state (388 MiB for paper-64) is float noise to LZ4 (measured ratio 1.001): compressing
        // it cost the driver and every executor time each round and saved nothing.
        conf.setIfMissing("spark.broadcast.compress", "false");
        // Kryo's unsafe streams copy float arrays in bulk (serialize 0.25 -> 0.07 s, deserialize 0.25 -> 0.10 s
        // for the paper-64 state); every node of a Spark cluster shares one byte order.
        conf.setIfMissing("spark.kryo.unsafe", "true");
        // One partition update per result is model-sized: 3 updates of paper-64 pass the default 1 GiB cap and
        // Spark aborts the round. The driver merges them one at a time (above), so it never holds them all;
        // TrainDriver refuses at start-up a cap set too low by the user.
        conf.setIfMissing("spark.driver.maxResultSize", "0");
        if (conf.get("spark.master").startsWith("local") && !conf.contains("spark.driver.host")) {
            conf.set("spark.driver.host", "127.0.0.1");
        }
        return conf;
    }

    /** Command-line words after parsing. */
    record ParsedArgs(String command, String subcommand, File confFile, List<String> overrides, boolean help,
                      String models, Integer warmup, Integer steps, boolean noPeer) {
        static ParsedArgs parse(String[] args) {
            String command = null;
            String subcommand = null;
            String models = null;
            Integer warmup = null;
            Integer steps = null;
            boolean noPeer = false;
            boolean resume = false;
            File conf = null;
            List<String> sets = new ArrayList<>();
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> help = true;
                    case "--conf" -> conf = ConfFileArgument.resolve(value(args, ++i, a));
                    case "--set" -> sets.add(value(args, ++i, a));
                    case "--models" -> models = value(args, ++i, a);
                    case "--warmup" -> warmup = count(value(args, ++i, a), a, 0);
                    case "--steps" -> steps = count(value(args, ++i, a), a, 1);
                    case "--no-peer" -> noPeer = true;
                    // the same as --set train.resume=true, so a config file can say it too
                    case "--resume" -> {
                        resume = true;
                        sets.add("train.resume=true");
                    }
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a
                                    + "; valid: --conf FILE, --set key=value, --help (train: --resume; benchmark: --models, --warmup, --steps, --no-peer)");
                        }
                        if ("benchmark".equals(command) && subcommand == null) {
                            subcommand = a;
                        } else if (command != null) {
                            throw new IllegalArgumentException("unexpected argument \"" + a + "\" after command " + command);
                        } else {
                            command = a;
                        }
                    }
                }
            }
            if (command == null && !help) {
                throw new IllegalArgumentException("no command given");
            }
            boolean benchmarkOptions = models != null || warmup != null || steps != null || noPeer;
            if (benchmarkOptions && !"benchmark".equals(command)) {
                throw new IllegalArgumentException("--models, --warmup, --steps and --no-peer belong to the benchmark command");
            }
            if (resume && !"train".equals(command)) {
                throw new IllegalArgumentException("--resume belongs to the train command");
            }
            return new ParsedArgs(command, subcommand, conf, sets, help, models, warmup, steps, noPeer);
        }

        private static int count(String value, String option, int min) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs a whole number >= " + min + ", got \"" + value + "\"");
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
