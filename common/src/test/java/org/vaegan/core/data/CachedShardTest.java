package org.vaegan.core.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.PartialUpdate;
import org.vaegan.core.train.PartitionTrainer;
import org.vaegan.core.train.Replica;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaming a cached shard larger than its memory budget in seeded, shuffled blocks. */
class CachedShardTest {
    private static final FileSystem FS;

    static {
        try {
            FS = FileSystem.getLocal(new Configuration());
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A shard file whose image i has every pixel equal to i mod 256. */
    private static Path writeShard(java.nio.file.Path dir, int images, int size) throws IOException {
        Path file = new Path(dir.resolve("shard-00000.u8").toUri());
        int bytes = size * size;
        try (ShardFile.Writer w = new ShardFile.Writer(FS, file, 1, size)) {
            for (int i = 0; i < images; i++) {
                byte[] img = new byte[bytes];
                Arrays.fill(img, (byte) i);
                w.append(img, 0, i % 3);
            }
            w.finish();
        }
        return file;
    }

    @Test
    void eachRoundHoldsOnlyWhatTheBudgetAllowsAndAnEpochVisitsEveryBlock(@TempDir java.nio.file.Path tmp) throws IOException {
        Path file = writeShard(tmp, 100, 4);
        long budget = 40 * 16; // 40 images of 16 bytes: 5 blocks of 8, the shard has 13
        CachedShard shard = new CachedShard(file.toString(), 0, 100, 1, 4, 8, budget, 6, 42, false);
        assertEquals(13, shard.blocks());
        assertEquals(5, shard.blocksPerRound());

        Set<Integer> seen = new HashSet<>();
        for (int round = 1; round <= 3; round++) {
            Shard window = shard.window(FS, round);
            assertTrue(window.residentBytes() <= budget, "round " + round + " holds " + window.residentBytes() + " bytes");
            for (int b : shard.blocksOf(round)) {
                seen.add(b);
            }
        }
        assertEquals(13, seen.size(), "one epoch (3 rounds) visits all 13 blocks: " + seen);
        assertArrayEquals(shard.blocksOf(2), shard.blocksOf(2), "a retried round reads the same blocks");
        assertFalse(Arrays.equals(order(shard, 1), order(shard, 4)), "the next epoch is shuffled differently");

        // The window's pixels are the blocks' images, in the order of blocksOf.
        Shard window = shard.window(FS, 1);
        int first = shard.blocksOf(1)[0] * 8;
        float expected = (first & 0xff) / 127.5f - 1f;
        assertEquals(expected, window.batch(new int[] {0}).getFloat(0, 0, 2, 2), 1e-6);
    }

    private static int[] order(CachedShard shard, int firstRound) {
        int[] all = new int[15];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(shard.blocksOf(firstRound + r), 0, all, 5 * r, 5);
        }
        return all;
    }

    @Test
    void aShardOfTenTimesTheBudgetTrains(@TempDir java.nio.file.Path tmp) throws IOException {
        VaeganConfig config = TestConfigs.tiny("spark.averaging.steps=2", "train.gc-every-steps=0");
        int images = 480;
        Path file = writeShard(tmp, images, 8);
        long budget = 48L * 64; // a tenth of the shard's 480 images of 8x8
        CachedShard shard = new CachedShard(file.toString(), 0, images, 1, 8, 16, budget, config.train().batchSize(), 7, true);
        Replica replica = new Replica(config);
        ModelState state = replica.snapshot();
        PartitionTrainer trainer = new PartitionTrainer(config);
        long peak = 0;
        for (int round = 1; round <= 3; round++) {
            Shard window = shard.window(FS, round);
            peak = Math.max(peak, window.residentBytes());
            PartialUpdate update = trainer.train(replica, state, window, round);
            assertEquals(2.0 * config.train().batchSize(), update.weight(), 1e-9);
            assertTrue(Double.isFinite(update.meanLosses().llike()));
            state = update.average(state.step() + 2);
        }
        assertTrue(peak <= budget, "peak resident " + peak + " > budget " + budget);
        assertEquals(3 * 16 * 64, peak, "three blocks of 16 images held at once");
    }

    @Test
    void aRoundOnTheShortLastBlockStillHoldsABatch() {
        // 100 images in blocks of 64: block 1 holds 36, fewer than the batch of 40.
        CachedShard shard = new CachedShard("unused", 0, 100, 1, 4, 64, 64 * 16, 40, 3, false);
        assertEquals(1, shard.blocksPerRound());
        boolean sawShortBlock = false;
        for (int round = 1; round <= 6; round++) {
            int[] blocks = shard.blocksOf(round);
            int held = 0;
            for (int b : blocks) {
                held += Math.min(64, 100 - b * 64);
            }
            assertTrue(held >= 40, "round " + round + " holds " + held + " images in blocks " + Arrays.toString(blocks));
            sawShortBlock |= blocks[0] == 1;
        }
        assertTrue(sawShortBlock, "the short block came first in some round");
    }

    @Test
    void flippedBatchesMirrorRowsAndAreSeeded() {
        byte[] pixels = new byte[2 * 4];
        for (int i = 0; i < 4; i++) {
            pixels[i] = (byte) (i * 50);
            pixels[4 + i] = (byte) (i * 50);
        }
        float[] plain = Shard.ofBytes(0, 2, 1, 2, pixels, false, 1).batch(new int[] {0, 1}).data().asFloat();
        boolean anyMirrored = false;
        Shard flipping = Shard.ofBytes(0, 2, 1, 2, pixels, true, 1);
        Shard again = Shard.ofBytes(0, 2, 1, 2, pixels, true, 1);
        for (int n = 0; n < 16; n++) {
            float[] got = flipping.batch(new int[] {0, 1}).data().asFloat();
            assertArrayEquals(got, again.batch(new int[] {0, 1}).data().asFloat(), "same seed, same flips");
            for (int img = 0; img < 2; img++) {
                float[] one = Arrays.copyOfRange(got, 4 * img, 4 * img + 4);
                float[] base = Arrays.copyOfRange(plain, 4 * img, 4 * img + 4);
                float[] mirrored = {base[1], base[0], base[3], base[2]};
                assertTrue(Arrays.equals(one, base) || Arrays.equals(one, mirrored), Arrays.toString(one));
                anyMirrored |= Arrays.equals(one, mirrored);
            }
        }
        assertTrue(anyMirrored);
    }
}
