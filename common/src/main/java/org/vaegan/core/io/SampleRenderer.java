package org.vaegan.core.io;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.train.Replica;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Draws a model's sample grid: fixed prior codes and fixed held-out images, so grids of different
 * rounds show the same codes and the same originals.
 */
public final class SampleRenderer {
    /** Held-out synthetic images start here, far beyond any partition's share. */
    private static final int HELD_OUT_PARTITION = 1 << 20;

    private final VaeganConfig config;
    private final INDArray codes;
    private final INDArray originals;

    public SampleRenderer(VaeganConfig config) {
        this(config, null);
    }

    /**
     * With {@code originals}, the reconstructions show its first images (a real dataset's first
     * cached images) instead of held-out synthetic ones.
     */
    public SampleRenderer(VaeganConfig config, Shard originals) {
        this.config = config;
        int side = config.output().gridSize();
        int latent = config.model().latent();
        SplittableRandom rnd = new SplittableRandom(config.train().seed() ^ 0x5EED5EEDL);
        float[] z = new float[side * side * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
        }
        this.codes = Nd4j.create(z, new long[] {side * side, latent}, 'c');
        int pairs = side / 2 * side;
        Shard heldOut = originals != null ? originals : Shard.synthetic(HELD_OUT_PARTITION, Math.max(pairs, 2),
                config.model().channels(), config.model().imageSize(), config.train().seed());
        int available = heldOut.images();
        this.originals = heldOut.batch(IntStream.range(0, Math.max(pairs, 2)).map(i -> i % available).toArray());
    }

    public byte[] render(Replica replica) throws IOException {
        return SampleGrid.png(replica.decode(codes), originals, replica.reconstruct(originals), config.output().gridSize());
    }
}
