package org.vaegan.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @Test
    void defaultsDescribeTheSmallModelOnLocalSpark() {
        VaeganConfig c = ConfigLoader.load(null, List.of()).config();
        assertEquals(32, c.model().imageSize());
        assertEquals(List.of(256, 192, 128, 32), c.model().decoderWidths());
        assertEquals(3, c.model().disLLayer());
        assertEquals("local[*]", c.spark().master());
        assertEquals(2, c.spark().partitions());
        assertEquals("synthetic", c.data().source());
        assertEquals(64, c.train().batchSize());
        assertEquals(3e-4, c.optimizer().learningRate(), 1e-12);
        assertEquals(ModelVariant.VAEGAN, c.model().variant());
        assertEquals(1e-6, c.loss().gamma(), 0);
        assertTrue(c.loss().gate().enabled());
        assertEquals(1e-5, c.optimizer().weightDecay(), 0);
    }

    @Test
    void annealingFollowsTheAuthorsAnnealer() {
        OptimizerConfig o = ConfigLoader.load(null, List.of("optimizer.schedule=anneal")).config().optimizer();
        assertEquals(3e-4, o.learningRate(0, 10), 1e-15);
        assertEquals(1.5625e-7, o.learningRate(10, 10), 1e-15);
        // lr0 - (1/2)^0.75 * (lr0 - final)
        assertEquals(3e-4 - Math.pow(0.5, 0.75) * (3e-4 - 1.5625e-7), o.learningRate(5, 10), 1e-15);
        OptimizerConfig constant = ConfigLoader.load(null, List.of()).config().optimizer();
        assertEquals(3e-4, constant.learningRate(9, 10), 0);
    }

    @Test
    void laterOverridesWinAndFilesApply(@TempDir Path dir) throws Exception {
        File conf = dir.resolve("my.conf").toFile();
        Files.writeString(conf.toPath(), "vaegan.train.rounds = 7\nvaegan.run.name = from-file\n");
        VaeganConfig c = ConfigLoader.load(conf, List.of("train.rounds=3", "vaegan.train.rounds=4")).config();
        assertEquals(4, c.train().rounds());
        assertEquals("from-file", c.output().runName());
    }

    @Test
    void pathsWithColonsNeedNoQuotes() {
        VaeganConfig c = ConfigLoader.load(null, List.of("output.dir=hdfs://nn:8020/runs")).config();
        assertEquals("hdfs://nn:8020/runs", c.output().dir());
    }

    @Test
    void unknownKeyIsNamed() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("train.roundz=3")));
        assertTrue(e.getMessage().contains("vaegan.train.roundz"), e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyAndWhatIsValid() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("train.batch-size=lots")));
        assertTrue(e.getMessage().contains("vaegan.train.batch-size"), e.getMessage());
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRejectedWithTheirKey() {
        assertKeyNamed("vaegan.optimizer.rho", "optimizer.rho=1.5");
        assertKeyNamed("vaegan.train.batch-size", "train.batch-size=1");
        assertKeyNamed("vaegan.model.dis-l-layer", "model.dis-l-layer=9");
        assertKeyNamed("vaegan.model.channels", "model.channels=2");
        assertKeyNamed("vaegan.loss.generator", "loss.generator=wasserstein");
        assertKeyNamed("vaegan.data.source", "data.source=imagenet");
        assertKeyNamed("vaegan.model.image-size", "model.image-size=36");
        assertKeyNamed("vaegan.run.name", "run.name=\"a/b\"");
        assertKeyNamed("vaegan.model.variant", "model.variant=wgan");
        assertKeyNamed("vaegan.model.decoder-ema-decay", "model.decoder-ema-decay=1");
        assertKeyNamed("vaegan.loss.log-epsilon", "loss.log-epsilon=-1");
        assertKeyNamed("vaegan.loss.pixel-weight", "loss.pixel-weight=-0.5");
        assertKeyNamed("vaegan.optimizer.schedule", "optimizer.schedule=cosine");
        assertKeyNamed("vaegan.optimizer.final-learning-rate", "optimizer.schedule=anneal", "optimizer.final-learning-rate=1");
        assertKeyNamed("vaegan.train.max-bad-steps", "train.max-bad-steps=0");
    }

    @Test
    void missingConfFileIsNamed() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(new File("/no/such/file.conf"), List.of()));
        assertTrue(e.getMessage().contains("/no/such/file.conf"), e.getMessage());
    }

    private static void assertKeyNamed(String key, String... overrides) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(null, List.of(overrides)));
        assertTrue(e.getMessage().contains(key), List.of(overrides) + " -> " + e.getMessage());
    }

    @Test
    void dataKeysAreParsedAndTheCelebaPresetSetsThePapersBox() {
        DataConfig d = ConfigLoader.load(null, List.of("data.source=images", "data.path=hdfs://nn:8020/celeba",
                "data.preprocess.preset=celeba", "data.preprocess.flip=true", "data.max-bad-fraction=0.05")).config().data();
        assertEquals("hdfs://nn:8020/celeba", d.path());
        assertEquals(PreprocessConfig.Crop.BOX, d.preprocess().crop());
        assertEquals(new PreprocessConfig.CropBox(40, 15, 148, 148), d.preprocess().cropBox());
        assertTrue(d.preprocess().flip());
        assertEquals(0.05, d.maxBadFraction(), 0);
        assertEquals(512L << 20, d.memoryBudgetBytes());
    }

    @Test
    void badDataSettingsNameTheirKey() {
        List<List<String>> cases = List.of(
                List.of("data.source=parquet"),
                List.of("data.source=images"),
                List.of("data.preprocess.crop=diagonal"),
                List.of("data.preprocess.resize=nearest"),
                List.of("data.preprocess.crop-box=[0, 0, 10]"),
                List.of("data.preprocess.preset=ffhq"),
                List.of("data.max-bad-fraction=1.5"),
                List.of("data.memory-budget-mib=1", "model.image-size=64", "data.block-images=1024"));
        List<String> keys = List.of("vaegan.data.source", "vaegan.data.path", "vaegan.data.preprocess.crop",
                "vaegan.data.preprocess.resize", "vaegan.data.preprocess.crop-box", "vaegan.data.preprocess.preset",
                "vaegan.data.max-bad-fraction", "vaegan.data.memory-budget-mib");
        for (int i = 0; i < cases.size(); i++) {
            List<String> sets = cases.get(i);
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(null, sets), sets.toString());
            assertTrue(e.getMessage().startsWith("Invalid config " + keys.get(i) + ":"), e.getMessage());
        }
    }

    /** The example configs users start from (conf/*.conf: fashion-mnist, celeba-64, kubernetes, ...) all load and validate. */
    @Test
    void everyShippedExampleConfigLoads() throws Exception {
        List<Path> examples;
        try (var files = Files.list(Path.of("..", "conf"))) {
            examples = files.filter(f -> f.toString().endsWith(".conf") && !f.endsWith("reference.conf")).sorted().toList();
        }
        assertTrue(examples.size() >= 4, "expected the example configs under conf/, found " + examples);
        for (Path example : examples) {
            VaeganConfig config = ConfigLoader.load(example.toFile(), List.of()).config();
            assertTrue(config.train().rounds() > 0, example.toString());
        }
    }
}
