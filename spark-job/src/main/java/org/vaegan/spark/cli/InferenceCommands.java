package org.vaegan.spark.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaegan.core.data.DatasetListing;
import org.vaegan.core.infer.InferenceInputException;
import org.vaegan.core.infer.InferencePictures;
import org.vaegan.core.infer.InputImages;
import org.vaegan.core.infer.ModelInference;
import org.vaegan.core.io.ModelExporter;
import org.vaegan.core.io.ModelSource;
import org.vaegan.core.io.RunFiles;
import org.vaegan.core.io.TrainedModel;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The commands that use a trained model in this JVM, without Spark: {@code export} (a run's
 * checkpoint as the next model version) and the four inference commands writing PNG grids. Each
 * parses its options and calls the core ({@link ModelExporter}, {@link ModelSource},
 * {@link InputImages}, {@link InferencePictures}). Paths are Hadoop FileSystem URIs or local paths.
 */
final class InferenceCommands {
    static final String USAGE = """
              export       --run DIR [--checkpoint round-NNNNNN|N] [--models-dir DIR] [--name NAME]
                           copy a run's checkpoint (default: its LATEST) with its config, preprocessing,
                           data fingerprint and metrics to <models-dir>/<name>/v<NNNN>/ (next free
                           number) and move <models-dir>/<name>/LATEST (defaults: models, the run's name)
              sample       --model PATH --out FILE.png [--n 64] [--seed 1]
                           n images decoded from prior codes drawn with the seed
              reconstruct  --model PATH --images DIR|FILE --out FILE.png [--n 32]
                           the first n pictures (sorted by path) in rows of 8 above their reconstructions;
                           prints the mean squared error per pixel
              interpolate  --model PATH --from IMAGE --to IMAGE --out FILE.png [--steps 8]
                           one row: FROM, steps images decoded along the line between the two codes
                           (ends included), TO
              attribute    --model PATH --with DIR --without DIR --images DIR|FILE --out FILE.png
                           [--n 8] [--scale 1.0]
                           the attribute vector (mean code of WITH minus mean code of WITHOUT) added,
                           times scale, to the codes of the first n images: rows of 8 originals,
                           reconstructions, edited
            --model PATH: an exported version (models/NAME/v0001), a model folder (models/NAME, its
            LATEST), a run folder (runs/NAME, its newest checkpoint) or a checkpoint folder
            (runs/NAME/checkpoints/round-000012). Inputs are preprocessed as the model's training data.
            Each image is drawn at twice its size S in a cell of 2S+2 pixels.""";

    private static final Set<String> COMMANDS = Set.of("export", "sample", "reconstruct", "interpolate", "attribute");
    private static final int MAX_IMAGES = 4096;
    private static final int MAX_STEPS = 256;

    /** Per command: its options and their defaults (null: required). */
    private static final Map<String, Map<String, String>> OPTIONS = Map.of(
            "export", options("--run", null, "--checkpoint", "", "--models-dir", "models", "--name", ""),
            "sample", options("--model", null, "--out", null, "--n", "64", "--seed", "1"),
            "reconstruct", options("--model", null, "--images", null, "--out", null, "--n", "32"),
            "interpolate", options("--model", null, "--from", null, "--to", null, "--out", null, "--steps", "8"),
            "attribute", options("--model", null, "--with", null, "--without", null, "--images", null, "--out", null,
                    "--n", "8", "--scale", "1.0"));

    private final Configuration hadoop;
    private final PrintStream out;

    private InferenceCommands(Configuration hadoop, PrintStream out) {
        this.hadoop = hadoop;
        this.out = out;
    }

    static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    /** Runs {@code args} (the command first); returns the exit code: 0, 1 (failed) or 2 (bad usage or input). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        InferenceCommands commands = new InferenceCommands(new Configuration(), out);
        return OptionCommandRunner.run(args, OPTIONS.get(args[0]), USAGE, out, err, given -> {
            switch (args[0]) {
                case "export" -> commands.export(given);
                case "sample" -> commands.sample(given);
                case "reconstruct" -> commands.reconstruct(given);
                case "interpolate" -> commands.interpolate(given);
                default -> commands.attribute(given);
            }
        });
    }

    private void export(Map<String, String> o) throws IOException {
        String run = o.get("--run");
        String name = o.get("--name").isEmpty() ? new Path(run).getName() : o.get("--name");
        ModelExporter.Exported exported = new ModelExporter(hadoop).export(run,
                o.get("--checkpoint").isEmpty() ? null : o.get("--checkpoint"), o.get("--models-dir"), name);
        out.printf("exported %s (round %d) as %s; %s now names %s%n", exported.checkpoint(), exported.round(), exported.version(),
                new Path(exported.version().getParent(), "LATEST"), exported.versionName());
    }

    private void sample(Map<String, String> o) throws IOException {
        int n = count(o, "--n", 1, MAX_IMAGES);
        long seed = seed(o.get("--seed"));
        Path target = target(o.get("--out"));
        ModelInference model = model(o);
        InferencePictures.Picture picture = new InferencePictures(model).samples(n, seed);
        write(target, picture);
        out.printf("wrote %s (%dx%d pixels): %d samples from the prior of %s, seed %d%n", target, picture.width(), picture.height(),
                n, describe(model), seed);
    }

    private void reconstruct(Map<String, String> o) throws IOException {
        int n = count(o, "--n", 1, MAX_IMAGES);
        Path target = target(o.get("--out"));
        ModelInference model = model(o);
        INDArray images = inputs(o, "--images", model).loadFirst(n);
        InferencePictures.Reconstructions result = new InferencePictures(model).reconstructions(images);
        write(target, result.picture());
        out.printf(Locale.ROOT, "wrote %s (%dx%d pixels): %d images above their reconstructions by %s; mean squared error per pixel"
                        + " %.5f (pixels in [-1, 1])%n", target, result.picture().width(), result.picture().height(), images.size(0),
                describe(model), result.meanSquaredError());
    }

    private void interpolate(Map<String, String> o) throws IOException {
        int steps = count(o, "--steps", 2, MAX_STEPS);
        Path target = target(o.get("--out"));
        ModelInference model = model(o);
        INDArray from = single(o, "--from", model);
        INDArray to = single(o, "--to", model);
        InferencePictures.Picture picture = new InferencePictures(model).interpolation(from, to, steps);
        write(target, picture);
        out.printf("wrote %s (%dx%d pixels): %s, %d points from its code to the other's, %s, by %s%n", target, picture.width(),
                picture.height(), o.get("--from"), steps, o.get("--to"), describe(model));
    }

    private void attribute(Map<String, String> o) throws IOException {
        int n = count(o, "--n", 1, MAX_IMAGES);
        double scale = scale(o.get("--scale"));
        Path target = target(o.get("--out"));
        ModelInference model = model(o);
        InputImages with = inputs(o, "--with", model);
        InputImages without = inputs(o, "--without", model);
        INDArray images = inputs(o, "--images", model).loadFirst(n);
        INDArray vector = model.attributeVector(with, without);
        InferencePictures.Picture picture = new InferencePictures(model).attributeEdits(images, vector, scale);
        write(target, picture);
        out.printf(Locale.ROOT, "wrote %s (%dx%d pixels): %d images, their reconstructions, and their codes plus %.3g x the attribute"
                        + " vector (mean code of %d images with it minus %d without, length %.4g) by %s%n", target, picture.width(),
                picture.height(), images.size(0), scale, with.count(), without.count(), vector.norm2Number().doubleValue(),
                describe(model));
    }

    private ModelInference model(Map<String, String> o) throws IOException {
        return new ModelInference(new ModelSource(hadoop).load(o.get("--model")));
    }

    private InputImages inputs(Map<String, String> o, String option, ModelInference model) throws IOException {
        return InputImages.open(o.get(option), option, hadoop, model.model().config());
    }

    private INDArray single(Map<String, String> o, String option, ModelInference model) throws IOException {
        InputImages images = inputs(o, option, model);
        if (images.count() != 1) {
            throw new InferenceInputException(option + ": give one picture, got a folder of " + images.count() + ": " + o.get(option));
        }
        return images.loadFirst(1);
    }

    /** The output file, checked before any work: a .png name, not an existing folder. */
    private Path target(String location) throws IOException {
        if (!location.toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UsageException("--out must name a .png file, got \"" + location + "\"");
        }
        Path path = new Path(location);
        FileSystem fs = DatasetListing.fileSystem(path, hadoop);
        path = fs.makeQualified(path);
        if (fs.exists(path) && fs.getFileStatus(path).isDirectory()) {
            throw new UsageException("--out " + path + " is a folder; give a .png file name");
        }
        return path;
    }

    private void write(Path target, InferencePictures.Picture picture) throws IOException {
        FileSystem fs = DatasetListing.fileSystem(target, hadoop);
        if (target.getParent() != null) {
            fs.mkdirs(target.getParent());
        }
        RunFiles.writeAtomically(fs, target, picture.png());
    }

    private static String describe(ModelInference model) {
        TrainedModel m = model.model();
        return m.checkpoint() + " (round " + m.round() + ")";
    }

    /** The options given (defaults filled in; {@code valid} maps each option to its default, null: required), or null when --help was asked for. */
    static Map<String, String> parse(String command, String[] args, Map<String, String> valid) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (!valid.containsKey(a)) {
                throw new IllegalArgumentException((a.startsWith("--") ? "unknown option " + a + " for " + command
                        : "unexpected argument \"" + a + "\" after " + command) + "; valid: " + String.join(", ", valid.keySet()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            if (given.put(a, args[++i]) != null) {
                throw new IllegalArgumentException(a + " is given twice");
            }
        }
        for (Map.Entry<String, String> option : valid.entrySet()) {
            if (!given.containsKey(option.getKey())) {
                if (option.getValue() == null) {
                    throw new IllegalArgumentException(command + " needs " + option.getKey());
                }
                given.put(option.getKey(), option.getValue());
            }
        }
        return given;
    }

    static int count(Map<String, String> o, String option, int min, int max) {
        String value = o.get(option);
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " needs a whole number from " + min + " to " + max + ", got \"" + value + "\"");
    }

    static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--seed needs a whole number, got \"" + value + "\"");
        }
    }

    private static double scale(String value) {
        try {
            double scale = Double.parseDouble(value);
            if (Double.isFinite(scale)) {
                return scale;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--scale needs a number, e.g. 1.0 or -0.5, got \"" + value + "\"");
    }

    /** The block of {@code usage} that describes {@code command}. */
    static String usageOf(String command, String usage) {
        for (String block : usage.split("\n(?=  \\S|\\S)")) {
            if (block.strip().startsWith(command + " ")) {
                return block.strip().replaceFirst("^(\\S+) +", "$1 ");
            }
        }
        return command;
    }

    /** An option value that cannot be used; reported like a parse error (exit code 2). */
    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    static Map<String, String> options(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
