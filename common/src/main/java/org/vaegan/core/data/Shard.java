package org.vaegan.core.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.state.SeedMixer;

import java.io.Serializable;

/**
 * The images one partition trains on in a round: NCHW float pixels in [-1, 1] (synthetic), or
 * uint8 pixels 0..255 (decoded data, a quarter of the memory) mapped to [-1, 1] per batch. With a
 * flip seed, every drawn image is mirrored left-right with probability 1/2; the n-th batch drawn
 * uses (seed, n), so a retried task draws the same flips.
 */
public final class Shard implements Serializable {
    private static final long serialVersionUID = 2L;

    private final int partition;
    private final int images;
    private final int channels;
    private final int size;
    private final float[] pixels;
    private final byte[] bytes;
    private final boolean flip;
    private final long flipSeed;
    private transient int batchesDrawn;

    public Shard(int partition, int images, int channels, int size, float[] pixels) {
        this(partition, images, channels, size, pixels, null, false, 0);
        if (pixels.length != (long) images * channels * size * size) {
            throw new IllegalArgumentException("shard of " + images + " images of " + channels + "x" + size + "x" + size
                    + " needs " + ((long) images * channels * size * size) + " values, got " + pixels.length);
        }
    }

    private Shard(int partition, int images, int channels, int size, float[] pixels, byte[] bytes, boolean flip, long flipSeed) {
        this.partition = partition;
        this.images = images;
        this.channels = channels;
        this.size = size;
        this.pixels = pixels;
        this.bytes = bytes;
        this.flip = flip;
        this.flipSeed = flipSeed;
    }

    /** A shard over uint8 CHW pixels; {@code flip} mirrors drawn images at random, seeded by {@code flipSeed}. */
    public static Shard ofBytes(int partition, int images, int channels, int size, byte[] bytes, boolean flip, long flipSeed) {
        if (bytes.length != (long) images * channels * size * size) {
            throw new IllegalArgumentException("shard of " + images + " images of " + channels + "x" + size + "x" + size
                    + " needs " + ((long) images * channels * size * size) + " bytes, got " + bytes.length);
        }
        return new Shard(partition, images, channels, size, null, bytes, flip, flipSeed);
    }

    /** Partition {@code partition}'s share of the synthetic dataset: images [p * n, (p + 1) * n). */
    public static Shard synthetic(int partition, int imagesPerPartition, int channels, int size, long seed) {
        SyntheticShapes shapes = new SyntheticShapes(size, channels, seed);
        long first = (long) partition * imagesPerPartition;
        return new Shard(partition, imagesPerPartition, channels, size, shapes.pixels(first, imagesPerPartition));
    }

    public int partition() {
        return partition;
    }

    public int images() {
        return images;
    }

    /** Bytes of pixel memory this shard holds. */
    public long residentBytes() {
        return bytes != null ? bytes.length : 4L * pixels.length;
    }

    /** The given rows as a [rows, C, H, W] batch. */
    public INDArray batch(int[] rows) {
        int perImage = channels * size * size;
        float[] out = new float[rows.length * perImage];
        long batchSeed = SeedMixer.finalise(flipSeed * 0x9E3779B97F4A7C15L + batchesDrawn++);
        for (int i = 0; i < rows.length; i++) {
            boolean mirror = flip && (SeedMixer.finalise(batchSeed + i) & 1) == 1;
            int src = rows[i] * perImage;
            int dst = i * perImage;
            if (bytes == null && !mirror) {
                System.arraycopy(pixels, src, out, dst, perImage);
                continue;
            }
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < size; y++) {
                    int row = c * size * size + y * size;
                    for (int x = 0; x < size; x++) {
                        int from = src + row + (mirror ? size - 1 - x : x);
                        out[dst + row + x] = bytes != null ? (bytes[from] & 0xff) / 127.5f - 1f : pixels[from];
                    }
                }
            }
        }
        return Nd4j.create(out, new long[] {rows.length, channels, size, size}, 'c');
    }
}
