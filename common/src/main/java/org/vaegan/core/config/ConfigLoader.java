package org.vaegan.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The only place that reads HOCON and knows key strings: layers reference.conf, an optional user
 * file and single --set overrides, rejects unknown keys, and builds the typed {@link VaeganConfig}.
 */
public final class ConfigLoader {
    private static final String ROOT = "vaegan";
    /** The model files of conf/models/, packaged as classpath resources models/NAME.conf. */
    public static final List<String> MODEL_PRESETS = List.of("cifar-32", "paper-64", "grey-28");

    private ConfigLoader() {
    }

    /** Loads the configuration; {@code overrides} are "key=value" strings, later ones win. */
    public static Loaded load(File userFile, List<String> overrides) {
        return load(null, userFile, overrides);
    }

    /**
     * Loads the configuration with one of the model files shipped in conf/models/ (a classpath
     * resource, e.g. "paper-64") between reference.conf and the user's file.
     */
    public static Loaded load(String modelPreset, File userFile, List<String> overrides) {
        Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
        Config merged = reference;
        if (modelPreset != null) {
            String resource = "models/" + modelPreset + ".conf";
            if (ConfigLoader.class.getClassLoader().getResource(resource) == null) {
                throw new InvalidConfigException("model preset", "no " + resource + " on the classpath; shipped: "
                        + String.join(", ", MODEL_PRESETS));
            }
            merged = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), resource).withFallback(merged);
        }
        if (userFile != null) {
            if (!userFile.isFile()) {
                throw new InvalidConfigException("--conf", "file not found: " + userFile.getAbsolutePath());
            }
            try {
                merged = ConfigFactory.parseFile(userFile).withFallback(merged);
            } catch (ConfigException e) {
                throw new InvalidConfigException("Cannot parse config file " + userFile + ": " + e.getMessage(), e);
            }
        }
        for (String override : overrides) {
            merged = parseOverride(override).withFallback(merged);
        }
        return resolveAndBuild(reference, merged);
    }

    /**
     * The configuration a run or an exported model stored (run.json's "config", a checkpoint's
     * config.json: the resolved tree under {@code vaegan}, as {@link Loaded#renderJson} wrote it),
     * layered over reference.conf (so keys added since still get their defaults) and checked like
     * any other; {@code origin} names the file in errors.
     */
    public static Loaded loadStored(String json, String origin) {
        Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
        Config stored;
        try {
            stored = ConfigFactory.parseString(json, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)
                    .setOriginDescription(origin)).atKey(ROOT);
        } catch (ConfigException e) {
            throw new InvalidConfigException("Cannot parse the stored config " + origin + ": " + e.getMessage(), e);
        }
        try {
            return resolveAndBuild(reference, stored.withFallback(reference));
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException("the stored config " + origin + " is not valid here: " + e.getMessage(), e);
        }
    }

    private static Loaded resolveAndBuild(Config reference, Config merged) {
        Config resolved;
        try {
            resolved = merged.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
        } catch (ConfigException e) {
            throw new InvalidConfigException("Cannot resolve config: " + e.getMessage(), e);
        }
        rejectUnknownKeys(reference, resolved);
        return new Loaded(build(resolved.getConfig(ROOT)), resolved.getConfig(ROOT));
    }

    private static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new InvalidConfigException("--set", "expects key=value, got \"" + override + "\"");
        }
        String key = override.substring(0, eq).trim();
        if (!key.startsWith(ROOT + ".")) {
            key = ROOT + "." + key;
        }
        String value = override.substring(eq + 1).trim();
        try {
            return ConfigFactory.parseString(key + " = " + value);
        } catch (ConfigException e) {
            // A bare string such as a path with ':' is not valid HOCON: quote it.
            return ConfigFactory.parseMap(Map.of(key, value));
        }
    }

    private static void rejectUnknownKeys(Config reference, Config resolved) {
        Set<String> unknown = new TreeSet<>();
        if (resolved.hasPath(ROOT)) {
            for (Map.Entry<String, ConfigValue> e : resolved.getConfig(ROOT).entrySet()) {
                String path = ROOT + "." + e.getKey();
                if (!reference.hasPath(path)) {
                    unknown.add(path);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException(String.join(", ", unknown),
                    "unknown key (see conf/reference.conf for every valid key)");
        }
    }

    private static VaeganConfig build(Config c) {
        ModelConfig model = new ModelConfig(
                ModelVariant.parse(ROOT + ".model.variant", getString(c, "model.variant")),
                getInt(c, "model.image-size"),
                getInt(c, "model.channels"),
                getInt(c, "model.latent"),
                getIntList(c, "model.encoder-widths"),
                getInt(c, "model.encoder-fc"),
                getIntList(c, "model.decoder-widths"),
                getIntList(c, "model.discriminator-widths"),
                getInt(c, "model.discriminator-fc"),
                getInt(c, "model.dis-l-layer"),
                getDouble(c, "model.logvar-clamp"),
                getDouble(c, "model.decoder-ema-decay"));
        LossConfig loss = new LossConfig(
                getDouble(c, "loss.gamma"),
                getBoolean(c, "loss.gan-reconstructions"),
                LossConfig.GeneratorLoss.parse(ROOT + ".loss.generator", getString(c, "loss.generator")),
                getDouble(c, "loss.log-epsilon"),
                getDouble(c, "loss.pixel-weight"),
                new LossConfig.EquilibriumGate(
                        getBoolean(c, "loss.equilibrium-gate.enabled"),
                        getDouble(c, "loss.equilibrium-gate.target"),
                        getDouble(c, "loss.equilibrium-gate.margin")));
        OptimizerConfig optimizer = new OptimizerConfig(
                getDouble(c, "optimizer.learning-rate"),
                getDouble(c, "optimizer.rho"),
                getDouble(c, "optimizer.epsilon"),
                getDouble(c, "optimizer.weight-decay"),
                OptimizerConfig.Schedule.parse(ROOT + ".optimizer.schedule", getString(c, "optimizer.schedule")),
                getDouble(c, "optimizer.final-learning-rate"),
                getDouble(c, "optimizer.annealing-power"));
        TrainConfig train = new TrainConfig(
                getInt(c, "train.rounds"),
                getInt(c, "train.batch-size"),
                getLong(c, "train.seed"),
                getInt(c, "train.gc-every-steps"),
                getBoolean(c, "train.recompute-forward"),
                getInt(c, "train.max-bad-steps"),
                getBoolean(c, "train.resume"));
        DataConfig data = new DataConfig(
                getString(c, "data.source"),
                getString(c, "data.path"),
                getInt(c, "data.synthetic.images-per-partition"),
                getBoolean(c, "data.images.labels-from-folders"),
                getString(c, "data.idx.labels"),
                PreprocessConfig.of(
                        getString(c, "data.preprocess.preset"),
                        getString(c, "data.preprocess.crop"),
                        getInt(c, "data.preprocess.crop-size"),
                        getIntList(c, "data.preprocess.crop-box"),
                        getString(c, "data.preprocess.resize"),
                        getBoolean(c, "data.preprocess.flip"),
                        getInt(c, "data.preprocess.min-side")),
                getString(c, "data.cache-dir"),
                getInt(c, "data.memory-budget-mib"),
                getInt(c, "data.block-images"),
                getDouble(c, "data.max-bad-fraction"));
        SparkConfig spark = new SparkConfig(
                getString(c, "spark.master"),
                getInt(c, "spark.partitions"),
                getInt(c, "spark.tree-depth"),
                getInt(c, "spark.averaging.steps"),
                new SparkConfig.FaultInjection(
                        getInt(c, "spark.fault-injection.fail-first-attempt-in-round"),
                        getInt(c, "spark.fault-injection.kill-executor-in-round")));
        OutputConfig output = new OutputConfig(
                getString(c, "run.name"),
                getString(c, "output.dir"),
                getInt(c, "output.sample-every-rounds"),
                getInt(c, "output.grid-size"),
                getInt(c, "checkpoint.every-rounds"),
                getInt(c, "checkpoint.keep-last"),
                getString(c, "checkpoint.keep-best-by"));
        InitConfig init = new InitConfig(getString(c, "init.from"), getBoolean(c, "init.optimizer-state"));
        return new VaeganConfig(model, loss, optimizer, train, data, spark, output, init);
    }

    // Typed getters that turn Typesafe's messages into ones naming the full key.

    private static int getInt(Config c, String key) {
        return get(c, key, "an integer", Config::getInt);
    }

    private static long getLong(Config c, String key) {
        return get(c, key, "an integer", Config::getLong);
    }

    private static double getDouble(Config c, String key) {
        return get(c, key, "a number", Config::getDouble);
    }

    private static boolean getBoolean(Config c, String key) {
        return get(c, key, "true or false", Config::getBoolean);
    }

    private static String getString(Config c, String key) {
        return get(c, key, "a string", Config::getString);
    }

    private static List<Integer> getIntList(Config c, String key) {
        return get(c, key, "a list of integers, e.g. [64, 128]", Config::getIntList);
    }

    private static <T> T get(Config c, String key, String expected, BiFunction<Config, String, T> getter) {
        try {
            return getter.apply(c, key);
        } catch (ConfigException e) {
            throw wrongType(key, expected, c);
        }
    }

    private static InvalidConfigException wrongType(String key, String expected, Config c) {
        String got = c.hasPathOrNull(key) && !c.getIsNull(key)
                ? c.getValue(key).render(ConfigRenderOptions.concise())
                : "nothing";
        return new InvalidConfigException(ROOT + "." + key, "must be " + expected + ", got " + got);
    }

    /** The typed config and the resolved HOCON tree it came from (written to run.json). */
    public record Loaded(VaeganConfig config, Config raw) {
        /** The resolved config as JSON, without credentials in any URI (it is written to run folders). */
        public String renderJson() {
            return Redaction.userInfo(raw.root().render(ConfigRenderOptions.concise().setFormatted(true)));
        }

        /**
         * What turns a picture into the model's input, as JSON: the image size, the channels and
         * the preprocessing keys (crop, resize, ...), under their config names.
         */
        public String renderPreprocessingJson() {
            Config preprocessing = ConfigFactory.empty()
                    .withValue("image-size", raw.getValue("model.image-size"))
                    .withValue("channels", raw.getValue("model.channels"))
                    .withValue("preprocess", raw.getValue("data.preprocess"));
            return preprocessing.root().render(ConfigRenderOptions.concise());
        }
    }
}
