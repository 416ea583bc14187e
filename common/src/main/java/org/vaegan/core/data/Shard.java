package org.vaegan.core.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/** The images one partition trains on, as NCHW float pixels in [-1, 1]. */
public final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partition;
    private final int images;
    private final int channels;
    private final int size;
    private final float[] pixels;

    public Shard(int partition, int images, int channels, int size, float[] pixels) {
        if (pixels.length != (long) images * channels * size * size) {
            throw new IllegalArgumentException("shard of " + images + " images of " + channels + "x" + size + "x" + size
                    + " needs " + ((long) images * channels * size * size) + " values, got " + pixels.length);
        }
        this.partition = partition;
        this.images = images;
        this.channels = channels;
        this.size = size;
        this.pixels = pixels;
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

    /** The given rows as a [rows, C, H, W] batch. */
    public INDArray batch(int[] rows) {
        int perImage = channels * size * size;
        float[] out = new float[rows.length * perImage];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(pixels, rows[i] * perImage, out, i * perImage, perImage);
        }
        return Nd4j.create(out, new long[] {rows.length, channels, size, size}, 'c');
    }
}
