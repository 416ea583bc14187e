package org.vaegan.core.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.InvalidConfigException;
import org.vaegan.core.config.VaeganConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folders of pictures through listing, decoding, the cache and the bad-input rules, in one JVM. */
class DataPreparationTest {
    private static final Configuration HADOOP = new Configuration();

    /** Decodes every shard here, as the executors would. */
    static DataPreparation.ShardDecoding inThisJvm(VaeganConfig config) {
        return specs -> {
            List<DecodeReport> reports = new ArrayList<>();
            for (ShardSpec spec : specs) {
                reports.add(new ShardDecoder(config.data().preprocess(), config.model().imageSize(), config.model().channels())
                        .decode(spec, HADOOP));
            }
            return reports;
        };
    }

    static VaeganConfig imagesConfig(java.nio.file.Path data, java.nio.file.Path out, String... more) {
        List<String> sets = new ArrayList<>(List.of("data.source=images", "data.path=" + data, "output.dir=" + out,
                "spark.partitions=2"));
        sets.addAll(List.of(more));
        return TestConfigs.tiny(sets.toArray(String[]::new));
    }

    /** 12 PNG under cats/, 12 JPEG under dogs/, 2 PNG in a folder named like a picture. */
    static void writeGoodPictures(java.nio.file.Path dir) throws IOException {
        for (int i = 0; i < 12; i++) {
            TestPictures.write(dir.resolve("cats/cat" + i + ".png"), TestPictures.encode(TestPictures.picture(24, 20, i), "png"));
            TestPictures.write(dir.resolve("dogs/dog" + i + ".JPG"), TestPictures.encode(TestPictures.picture(20, 24, 100 + i), "jpg"));
        }
        for (int i = 0; i < 2; i++) {
            TestPictures.write(dir.resolve("nested.png/inner" + i + ".png"), TestPictures.encode(TestPictures.picture(16, 16, 50 + i), "png"));
        }
    }

    /** The bad-input corpus beside the good pictures, each with the start of its documented reason. */
    static Map<String, String> writeBadPictures(java.nio.file.Path dir) throws IOException {
        Map<String, String> reasons = new TreeMap<>();
        byte[] jpeg = TestPictures.encode(TestPictures.picture(32, 32, 7), "jpg");
        TestPictures.write(dir.resolve("truncated.jpg"), TestPictures.truncated(jpeg));
        reasons.put("truncated.jpg", "unreadable: IIOException");
        TestPictures.write(dir.resolve("empty.png"), new byte[0]);
        reasons.put("empty.png", "empty file");
        TestPictures.write(dir.resolve("text.png"), "not a picture at all\n".getBytes(StandardCharsets.UTF_8));
        reasons.put("text.png", "not a picture javax.imageio can read");
        TestPictures.write(dir.resolve("tiny.png"), TestPictures.encode(TestPictures.picture(1, 1, 3), "png"));
        reasons.put("tiny.png", "1x1 pixels, below vaegan.data.preprocess.min-side 8");
        TestPictures.write(dir.resolve("cmyk.jpg"), TestPictures.cmykJpeg(16));
        reasons.put("cmyk.jpg", "unsupported colour model: CMYK");
        TestPictures.write(dir.resolve("deep.png"), TestPictures.sixteenBitPng(16));
        reasons.put("deep.png", "unsupported colour model: 16-bit samples");
        TestPictures.write(dir.resolve("huge.png"), TestPictures.pngClaiming(20000));
        reasons.put("huge.png", "20000x20000 pixels, more than");
        TestPictures.write(dir.resolve("README.txt"), "ignored: not a picture name".getBytes(StandardCharsets.UTF_8));
        return reasons;
    }

    @Test
    void badFilesAreSkippedWithTheirReasonAndEveryGoodFileIsUsed(@TempDir java.nio.file.Path tmp) throws IOException {
        java.nio.file.Path data = tmp.resolve("data");
        writeGoodPictures(data);
        Map<String, String> reasons = writeBadPictures(data);
        VaeganConfig config = imagesConfig(data, tmp.resolve("out"), "data.max-bad-fraction=0.25");

        PreparedData prepared = new DataPreparation(config, HADOOP).prepare(inThisJvm(config));

        assertEquals(33, prepared.listing().items(), "26 good + 7 bad pictures listed; README.txt ignored");
        assertEquals(1, prepared.listing().ignoredFiles());
        assertEquals(7, prepared.badFiles());
        assertEquals(26, prepared.images());
        assertEquals(List.of("cats", "dogs", "nested.png"), prepared.listing().labelNames());
        assertEquals(2, prepared.shards().size());
        assertTrue(Math.abs(prepared.shards().get(0).images() - prepared.shards().get(1).images()) <= 6, "evenly sized shards");
        for (Map.Entry<String, String> e : reasons.entrySet()) {
            String line = prepared.firstBad().stream().filter(l -> l.contains("/" + e.getKey() + ": ")).findFirst()
                    .orElseThrow(() -> new AssertionError(e.getKey() + " not among " + prepared.firstBad()));
            assertTrue(line.substring(line.indexOf(": ") + 2).startsWith(e.getValue()), e.getKey() + " -> " + line);
        }
        // Labels in the cache: every good file of every folder, once.
        FileSystem fs = FileSystem.getLocal(HADOOP);
        int[] perLabel = new int[4];
        for (CachedShard shard : prepared.shards()) {
            for (int label : ShardFile.readLabels(fs, new Path(shard.cacheFile()))) {
                perLabel[label + 1]++;
            }
        }
        assertEquals("[0, 12, 12, 2]", Arrays.toString(perLabel), "unlabelled, cats, dogs, nested.png");
    }

    @Test
    void tooManyBadFilesStopTheJobNamingThem(@TempDir java.nio.file.Path tmp) throws IOException {
        java.nio.file.Path data = tmp.resolve("data");
        writeGoodPictures(data);
        Map<String, String> reasons = writeBadPictures(data);
        VaeganConfig config = imagesConfig(data, tmp.resolve("out"));

        BadDataException e = assertThrows(BadDataException.class, () -> new DataPreparation(config, HADOOP).prepare(inThisJvm(config)));
        assertTrue(e.getMessage().contains("7 of 33 files"), e.getMessage());
        assertTrue(e.getMessage().contains("vaegan.data.max-bad-fraction = 0.01"), e.getMessage());
        for (String name : reasons.keySet()) {
            assertTrue(e.getMessage().contains("/" + name + ": "), name + " missing from " + e.getMessage());
        }
    }

    @Test
    void aSecondRunDecodesNothingAndChangedDataDecodesAgain(@TempDir java.nio.file.Path tmp) throws IOException {
        java.nio.file.Path data = tmp.resolve("data");
        writeGoodPictures(data);
        VaeganConfig config = imagesConfig(data, tmp.resolve("out"), "data.cache-dir=" + tmp.resolve("cache"));

        PreparedData first = new DataPreparation(config, HADOOP).prepare(inThisJvm(config));
        assertFalse(first.cacheHit());
        assertEquals(26, first.decodedImages());
        CachedShard shard = first.shards().get(0);
        assertEquals(config.data().memoryBudgetBytes(), shard.budgetBytes(), "the configured budget reaches the shards");
        assertEquals(config.data().blockImages(), shard.blockImages());
        assertEquals(config.train().batchSize(), shard.minImages());

        long before = ShardDecoder.decodedInThisJvm();
        PreparedData second = new DataPreparation(config, HADOOP).prepare(specs -> {
            throw new AssertionError("a cached dataset must not be decoded again");
        });
        assertTrue(second.cacheHit());
        assertEquals(0, second.decodedImages());
        assertEquals(before, ShardDecoder.decodedInThisJvm());
        assertEquals(first.cache().key(), second.cache().key());
        assertEquals(first.shards(), second.shards());

        // Other preprocessing, or one more file: a different key, decoded again.
        VaeganConfig flipped = imagesConfig(data, tmp.resolve("out"), "data.cache-dir=" + tmp.resolve("cache"),
                "data.preprocess.resize=bicubic");
        assertFalse(new DataPreparation(flipped, HADOOP).prepare(inThisJvm(flipped)).cacheHit());
        TestPictures.write(data.resolve("cats/new.png"), TestPictures.encode(TestPictures.picture(24, 24, 9), "png"));
        PreparedData third = new DataPreparation(config, HADOOP).prepare(inThisJvm(config));
        assertFalse(third.cacheHit());
        assertEquals(27, third.decodedImages());
        assertFalse(first.listing().fingerprint().sha256().equals(third.listing().fingerprint().sha256()));
    }

    @Test
    void startUpErrorsNameThePathAndTheSetting(@TempDir java.nio.file.Path tmp) throws IOException {
        java.nio.file.Path missing = tmp.resolve("no-such-folder");
        VaeganConfig noPath = imagesConfig(missing, tmp.resolve("out"));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new DataPreparation(noPath, HADOOP).prepare(inThisJvm(noPath)));
        assertTrue(e.getMessage().contains("vaegan.data.path") && e.getMessage().contains("no-such-folder"), e.getMessage());

        java.nio.file.Path empty = Files.createDirectories(tmp.resolve("empty"));
        TestPictures.write(empty.resolve("notes.txt"), new byte[] {1});
        VaeganConfig emptyConfig = imagesConfig(empty, tmp.resolve("out"));
        e = assertThrows(InvalidConfigException.class, () -> new DataPreparation(emptyConfig, HADOOP).prepare(inThisJvm(emptyConfig)));
        assertTrue(e.getMessage().contains("vaegan.data.path") && e.getMessage().contains("no JPEG or PNG"), e.getMessage());

        java.nio.file.Path small = tmp.resolve("small");
        writeGoodPictures(small);
        VaeganConfig celeba = imagesConfig(small, tmp.resolve("out"), "data.preprocess.preset=celeba");
        e = assertThrows(InvalidConfigException.class, () -> new DataPreparation(celeba, HADOOP).prepare(inThisJvm(celeba)));
        assertTrue(e.getMessage().contains("vaegan.data.preprocess.preset") && e.getMessage().contains(small.toString()), e.getMessage());
    }

    @Test
    void aFileUriAndAPlainPathListTheSameDataset(@TempDir java.nio.file.Path tmp) throws IOException {
        java.nio.file.Path data = tmp.resolve("data");
        writeGoodPictures(data);
        DatasetListing plain = DatasetListing.list(imagesConfig(data, tmp.resolve("out")).data(), HADOOP);
        DatasetListing uri = DatasetListing.list(TestConfigs.tiny("data.source=images", "data.path=" + data.toUri()).data(), HADOOP);
        assertEquals(26, plain.files().size());
        assertEquals(plain.fingerprint(), uri.fingerprint());
        assertEquals(plain.files(), uri.files());
    }}
