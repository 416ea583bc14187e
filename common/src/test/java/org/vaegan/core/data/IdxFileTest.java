package org.vaegan.core.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.InvalidConfigException;
import org.vaegan.core.config.VaeganConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IDX (MNIST format) files, generated here and, when installed, Fashion-MNIST. */
class IdxFileTest {
    private static final Configuration HADOOP = new Configuration();
    private static final java.nio.file.Path FASHION_MNIST = java.nio.file.Path.of("/usr/share/datasets/fashion-mnist");

    private static void readsBackExactly(java.nio.file.Path tmp, boolean gzip) throws IOException {
        int n = 20;
        byte[] pixels = new byte[n * 64];
        byte[] labels = new byte[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7 + 3);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        String suffix = gzip ? ".gz" : "";
        java.nio.file.Path images = tmp.resolve("images-idx3-ubyte" + suffix);
        java.nio.file.Path labelFile = tmp.resolve("labels-idx1-ubyte" + suffix);
        TestPictures.writeIdx(images, new int[] {n, 8, 8}, pixels, gzip);
        TestPictures.writeIdx(labelFile, new int[] {n}, labels, gzip);
        // The tiny model is 8x8 grey: records pass through unchanged.
        VaeganConfig config = TestConfigs.tiny("data.source=idx", "data.path=" + images, "data.idx.labels=" + labelFile,
                "output.dir=" + tmp.resolve("out"), "spark.partitions=2");
        PreparedData prepared = new DataPreparation(config, HADOOP).prepare(DataPreparationTest.inThisJvm(config));

        assertEquals(n, prepared.images());
        FileSystem fs = FileSystem.getLocal(HADOOP);
        int at = 0;
        for (CachedShard shard : prepared.shards()) {
            assertEquals(10, shard.images(), "records split evenly");
            byte[] got = ShardFile.readRuns(fs, new Path(shard.cacheFile()), new long[] {0, shard.images()});
            assertArrayEquals(Arrays.copyOfRange(pixels, at * 64, (at + shard.images()) * 64), got);
            int[] gotLabels = ShardFile.readLabels(fs, new Path(shard.cacheFile()));
            for (int i = 0; i < gotLabels.length; i++) {
                assertEquals(labels[at + i], gotLabels[i]);
            }
            at += shard.images();
        }
    }

    @Test
    void plainIdxFilesReadBackExactly(@TempDir java.nio.file.Path tmp) throws IOException {
        readsBackExactly(tmp, false);
    }

    @Test
    void gzipIdxFilesReadBackExactly(@TempDir java.nio.file.Path tmp) throws IOException {
        readsBackExactly(tmp, true);
    }

    @Test
    void aFileThatIsNotIdxStopsTheJobAtStart(@TempDir java.nio.file.Path tmp) throws IOException {
        java.nio.file.Path bogus = Files.writeString(tmp.resolve("train-images-idx3-ubyte"), "hello, not IDX");
        VaeganConfig config = TestConfigs.tiny("data.source=idx", "data.path=" + bogus, "output.dir=" + tmp);
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new DataPreparation(config, HADOOP).prepare(DataPreparationTest.inThisJvm(config)));
        assertTrue(e.getMessage().contains("vaegan.data.path") && e.getMessage().contains(bogus.toString()), e.getMessage());
    }

    @Test
    void fashionMnistHas60000TrainingImagesWithLabels0To9(@TempDir java.nio.file.Path tmp) throws IOException {
        java.nio.file.Path images = FASHION_MNIST.resolve("train-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.isReadable(images),
                "SKIPPED: Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist; .ci/run does)");
        VaeganConfig config = TestConfigs.tiny("data.source=idx", "data.path=" + images,
                "data.idx.labels=" + FASHION_MNIST.resolve("train-labels-idx1-ubyte.gz"),
                "model.image-size=28", "output.dir=" + tmp, "spark.partitions=2");
        PreparedData prepared = new DataPreparation(config, HADOOP).prepare(DataPreparationTest.inThisJvm(config));

        assertEquals(60000, prepared.images());
        assertEquals(0, prepared.badFiles());
        int[] perLabel = new int[10];
        FileSystem fs = FileSystem.getLocal(HADOOP);
        long inked = 0;
        for (CachedShard shard : prepared.shards()) {
            for (int label : ShardFile.readLabels(fs, new Path(shard.cacheFile()))) {
                assertTrue(label >= 0 && label <= 9, "label " + label);
                perLabel[label]++;
            }
            for (byte b : ShardFile.readRuns(fs, new Path(shard.cacheFile()), new long[] {0, 100})) {
                inked += (b & 0xff) > 0 ? 1 : 0;
            }
        }
        int[] sixThousandEach = new int[10];
        Arrays.fill(sixThousandEach, 6000);
        assertArrayEquals(sixThousandEach, perLabel);
        assertTrue(inked > 200 * 28 * 28 / 4, "the garments are not blank: " + inked + " non-zero pixels");
    }
}
