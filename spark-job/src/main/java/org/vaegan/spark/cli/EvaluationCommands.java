package org.vaegan.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vaegan.core.data.DatasetListing;
import org.vaegan.core.eval.ClassifierStore;
import org.vaegan.core.eval.FashionMnist;
import org.vaegan.core.eval.HeldOutImages;
import org.vaegan.core.eval.ModelEvaluation;
import org.vaegan.core.infer.ModelInference;
import org.vaegan.core.io.ModelSource;
import org.vaegan.core.io.RunFiles;
import org.vaegan.core.io.RunLayout;
import org.vaegan.core.io.TrainedModel;
import org.vaegan.core.report.RunReport;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code report} (rewrite a run's report.html), {@code evaluate} (quality figures of a model on
 * held-out images) and {@code train-classifier} (the Fashion-MNIST classifier evaluate measures
 * with). No Spark; paths are Hadoop FileSystem URIs or local paths. Options are parsed as the
 * inference commands' ({@link InferenceCommands#parse}).
 */
final class EvaluationCommands {
    static final String USAGE = """
              report       --run DIR
                           (re)write DIR/report.html: loss curves, sample grids by round, evaluations,
                           timings, config (training writes it too, after rounds with pictures or checkpoints)
              evaluate     --model PATH --data IDX|DIR|FILE [--labels IDX] [--n 1000] [--seed 1] [--out FILE.json]
                           [--classifier DIR] [--fashion-mnist DIR]
                           on the first n held-out images: reconstruction MSE and SSIM, Laplacian variance
                           of real images, reconstructions and n samples, Frechet distances in the
                           classifier's feature space, the classifier's accuracy on reconstructions;
                           prints JSON; for a run's model also writes <run>/evaluation/round-NNNNNN.json
                           and refreshes its report. The classifier is read from --classifier (default
                           ~/.cache/vaegan/classifier), trained there on Fashion-MNIST first if missing
              train-classifier [--classifier DIR] [--fashion-mnist DIR] [--images 60000] [--epochs 1] [--seed 1]
                           (re)train the evaluation classifier and print its test accuracy""";

    private static final Set<String> COMMANDS = Set.of("report", "evaluate", "train-classifier");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_IMAGES = 60_000;

    private static final Map<String, Map<String, String>> OPTIONS = Map.of(
            "report", InferenceCommands.options("--run", null),
            "evaluate", InferenceCommands.options("--model", null, "--data", null, "--labels", "", "--n", "1000", "--seed", "1",
                    "--out", "", "--classifier", ClassifierStore.DEFAULT_DIR, "--fashion-mnist", FashionMnist.DEBIAN_DIR),
            "train-classifier", InferenceCommands.options("--classifier", ClassifierStore.DEFAULT_DIR, "--fashion-mnist",
                    FashionMnist.DEBIAN_DIR, "--images", String.valueOf(ClassifierStore.Training.DEFAULT_IMAGES), "--epochs",
                    String.valueOf(ClassifierStore.Training.DEFAULT_EPOCHS), "--seed", "1"));

    private final Configuration hadoop;
    private final PrintStream out;

    private EvaluationCommands(Configuration hadoop, PrintStream out) {
        this.hadoop = hadoop;
        this.out = out;
    }

    static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    /** Runs {@code args} (the command first); returns the exit code: 0, 1 (failed) or 2 (bad usage or input). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        EvaluationCommands commands = new EvaluationCommands(new Configuration(), out);
        return OptionCommandRunner.run(args, OPTIONS.get(args[0]), USAGE, out, err, given -> {
            switch (args[0]) {
                case "report" -> commands.report(given);
                case "evaluate" -> commands.evaluate(given);
                default -> commands.trainClassifier(given);
            }
        });
    }

    private void report(Map<String, String> o) throws IOException {
        RunLayout layout = RunLayout.of(o.get("--run"), hadoop);
        if (!layout.fs().exists(layout.runJson()) && !layout.fs().exists(layout.metrics())) {
            throw new InferenceCommands.UsageException("--run " + layout.root() + " is not a run folder (it has neither run.json nor"
                    + " metrics.jsonl)");
        }
        Path written = RunReport.write(layout);
        out.printf("wrote %s%n", written);
    }

    private void evaluate(Map<String, String> o) throws IOException {
        int n = InferenceCommands.count(o, "--n", 2, MAX_IMAGES);
        long seed = InferenceCommands.seed(o.get("--seed"));
        String outFile = o.get("--out");
        if (!outFile.isEmpty() && !outFile.toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw new InferenceCommands.UsageException("--out must name a .json file, got \"" + outFile + "\"");
        }
        TrainedModel trained = new ModelSource(hadoop).load(o.get("--model"));
        ModelInference model = new ModelInference(trained);
        HeldOutImages data = HeldOutImages.load(o.get("--data"), o.get("--labels").isEmpty() ? null : o.get("--labels"), n,
                trained.config(), hadoop);
        ClassifierStore.Loaded classifier = new ClassifierStore(o.get("--classifier"), hadoop)
                .loadOrTrain(ClassifierStore.Training.defaults(o.get("--fashion-mnist")));
        ObjectNode figures = new ModelEvaluation(model, classifier).evaluate(data, seed);
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures);
        if (!outFile.isEmpty()) {
            Path target = new Path(outFile);
            FileSystem fs = DatasetListing.fileSystem(target, hadoop);
            if (target.getParent() != null) {
                fs.mkdirs(target.getParent());
            }
            RunFiles.writeAtomically(fs, target, json + "\n");
        }
        RunLayout run = runOf(trained);
        if (run != null) {
            RunFiles.writeAtomically(run.fs(), run.evaluation(trained.round()), json + "\n");
            RunReport.write(run);
        }
        out.println(json);
        if (run != null) {
            out.printf("wrote %s and %s%n", run.evaluation(trained.round()), run.report());
        }
    }

    private void trainClassifier(Map<String, String> o) throws IOException {
        int images = InferenceCommands.count(o, "--images", 100, MAX_IMAGES);
        int epochs = InferenceCommands.count(o, "--epochs", 1, 100);
        long seed = InferenceCommands.seed(o.get("--seed"));
        ClassifierStore store = new ClassifierStore(o.get("--classifier"), hadoop);
        ClassifierStore.Loaded trained = store.train(new ClassifierStore.Training(o.get("--fashion-mnist"), images, epochs, seed));
        out.printf(Locale.ROOT, "classifier %s: test accuracy %.4f on %d Fashion-MNIST test images (%d training images, %d epochs, %.1fs)%n",
                trained.location(), trained.card().path("test_accuracy").asDouble(), trained.card().path("test_images").asInt(),
                trained.card().path("train_images").asInt(), epochs, trained.card().path("train_seconds").asDouble());
    }

    /**
     * The run folder a model came from, when it is still there: the run or checkpoint given, or
     * the source run an exported version names. Null otherwise.
     */
    private RunLayout runOf(TrainedModel trained) throws IOException {
        String root = switch (trained.shape()) {
            case RUN -> trained.location().toString();
            case CHECKPOINT -> trained.checkpoint().getParent().getParent().toString();
            default -> trained.card() != null ? trained.card().path("source").path("run").asText("") : "";
        };
        if (root.isEmpty()) {
            return null;
        }
        RunLayout layout = RunLayout.of(root, hadoop);
        return layout.fs().exists(layout.runJson()) ? layout : null;
    }
}
