package org.vaegan.spark.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.InvalidConfigException;
import org.vaegan.core.train.NonFiniteTrainingException;
import org.vaegan.core.train.StepBenchmark;
import org.vaegan.spark.TrainDriver;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher of bin/vaegan and of spark-submit: {@code <command> [--conf FILE] [--set key=value]...}.
 * Returns an exit code instead of exiting, so tests can call it.
 */
public final class VaeganMain {
    static final String USAGE = """
            usage: vaegan <command> [--conf FILE] [--set key=value]...
            commands:
              train      train a VAE/GAN on Spark (the embedded default: local Spark, synthetic shapes)
              benchmark  time training steps of one replica in this JVM, no Spark (images/s, memory)
            options:
              --conf FILE        HOCON file with overrides of conf/reference.conf
              --set key=value    one setting, e.g. --set train.rounds=5 (repeatable; later wins)
              --help             this text""";

    private static final int BENCHMARK_WARMUP_STEPS = 2;
    private static final int BENCHMARK_TIMED_STEPS = 10;

    private VaeganMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
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
        } catch (InvalidConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if ("benchmark".equals(parsed.command())) {
            StepBenchmark.Result result = new StepBenchmark(loaded.config()).run(BENCHMARK_WARMUP_STEPS, BENCHMARK_TIMED_STEPS, out::println);
            out.println(result.describe());
            return 0;
        }
        if (!"train".equals(parsed.command())) {
            err.println("error: unknown command \"" + parsed.command() + "\"; valid: train, benchmark");
            err.println(USAGE);
            return 2;
        }
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf(loaded))) {
            TrainDriver.Summary summary = new TrainDriver(loaded).run(sc);
            out.printf("run finished: %s (%.1fs, %.1f images/s, peak RSS %d MiB)%n",
                    summary.layout().root(), summary.wallSeconds(), summary.imagesPerSecond(), summary.peakRssMiB());
            return 0;
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
        }
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
        if (conf.get("spark.master").startsWith("local") && !conf.contains("spark.driver.host")) {
            conf.set("spark.driver.host", "127.0.0.1");
        }
        return conf;
    }

    /** Command-line words after parsing. */
    record ParsedArgs(String command, File confFile, List<String> overrides, boolean help) {
        static ParsedArgs parse(String[] args) {
            String command = null;
            File conf = null;
            List<String> sets = new ArrayList<>();
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> help = true;
                    case "--conf" -> conf = new File(value(args, ++i, a));
                    case "--set" -> sets.add(value(args, ++i, a));
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a + "; valid: --conf FILE, --set key=value, --help");
                        }
                        if (command != null) {
                            throw new IllegalArgumentException("unexpected argument \"" + a + "\" after command " + command);
                        }
                        command = a;
                    }
                }
            }
            if (command == null && !help) {
                throw new IllegalArgumentException("no command given");
            }
            return new ParsedArgs(command, conf, sets, help);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
