package org.vaegan.core.data;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vaegan.core.state.SeedMixer;

import java.io.IOException;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A decoded shard in the cache, and which part of it a round trains on. The shard is cut into
 * blocks of {@code blockImages}; a round holds as many whole blocks as the memory budget allows
 * (all of them when the shard fits). Each epoch visits every block once in an order shuffled by
 * (seed, partition, epoch), so a shard many times the budget is streamed with bounded memory.
 * When the shard's last, partial block leaves a round with fewer images than a batch, the round
 * holds one block more (so the budget can be exceeded by less than one block).
 */
public record CachedShard(String cacheFile, int partition, int images, int channels, int size, int blockImages,
                          long budgetBytes, int minImages, long seed, boolean flip) implements Serializable {

    public int imageBytes() {
        return channels * size * size;
    }

    public int blocks() {
        return (images + blockImages - 1) / blockImages;
    }

    /** Blocks held at once: as many as fit in the budget, at least enough for one batch. */
    public int blocksPerRound() {
        if ((long) images * imageBytes() <= budgetBytes) {
            return blocks();
        }
        int fit = (int) Math.max(1, budgetBytes / ((long) blockImages * imageBytes()));
        int forBatch = (minImages + blockImages - 1) / blockImages;
        return Math.min(blocks(), Math.max(fit, forBatch));
    }

    /** The round's blocks (indices into the shard, in the order they are held). */
    public int[] blocksOf(long round) {
        int n = blocks();
        int k = blocksPerRound();
        int roundsPerEpoch = (n + k - 1) / k;
        long r = Math.max(0, round - 1);
        long epoch = r / roundsPerEpoch;
        int within = (int) (r % roundsPerEpoch);
        int[] order = permutation(n, SeedMixer.finalise(SeedMixer.finalise(seed + partition * 0x9E3779B97F4A7C15L) + epoch));
        int[] out = new int[n];
        int held = 0;
        int count = 0;
        while (count < n && (count < k || held < minImages)) {
            int block = order[(within * k + count) % n];
            out[count++] = block;
            held += Math.min(blockImages, images - block * blockImages);
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /** The shard's first {@code count} images (or all, when fewer), e.g. for the originals of sample grids. */
    public Shard head(FileSystem fs, int count) throws IOException {
        int n = Math.min(count, images);
        byte[] pixels = ShardFile.readRuns(fs, new Path(cacheFile), new long[] {0, n});
        return Shard.ofBytes(partition, n, channels, size, pixels, false, 0);
    }

    /** Reads the round's blocks from the cache file into an in-memory shard (flip seeded by round too). */
    public Shard window(FileSystem fs, long round) throws IOException {
        int[] blocks = blocksOf(round);
        long[] runs = new long[2 * blocks.length];
        int held = 0;
        for (int i = 0; i < blocks.length; i++) {
            long first = (long) blocks[i] * blockImages;
            int count = (int) Math.min(blockImages, images - first);
            runs[2 * i] = first;
            runs[2 * i + 1] = count;
            held += count;
        }
        byte[] pixels = ShardFile.readRuns(fs, new Path(cacheFile), runs);
        long flipSeed = SeedMixer.finalise(SeedMixer.finalise(seed ^ 0x2545F4914F6CDD1DL) + round * 31 + partition);
        return Shard.ofBytes(partition, held, channels, size, pixels, flip, flipSeed);
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
