package org.vaegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.state.SeedMixer;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The random draws of one step (batch rows, reparameterisation noise, prior codes), a pure
 * function of (seed, round, partition, step): a retried task draws exactly the same numbers.
 */
public final class StepDraws {
    private final int[] rows;
    private final float[] noise;
    private final float[] prior;
    private final int batch;
    private final int latent;

    private StepDraws(int[] rows, float[] noise, float[] prior, int batch, int latent) {
        this.rows = rows;
        this.noise = noise;
        this.prior = prior;
        this.batch = batch;
        this.latent = latent;
    }

    public static StepDraws of(long seed, long round, int partition, int step, int shardSize, int batch, int latent) {
        SplittableRandom rnd = new SplittableRandom(mix(mix(mix(seed, round), partition), step));
        int[] rows = sampleWithoutReplacement(rnd, shardSize, batch);
        float[] noise = gaussians(rnd, batch * latent);
        float[] prior = gaussians(rnd, batch * latent);
        return new StepDraws(rows, noise, prior, batch, latent);
    }

    /** Indices into the partition's shard, distinct within the batch. */
    public int[] rows() {
        return rows.clone();
    }

    public INDArray noise() {
        return Nd4j.create(noise, new long[] {batch, latent}, 'c');
    }

    public INDArray prior() {
        return Nd4j.create(prior, new long[] {batch, latent}, 'c');
    }

    static float[] gaussians(SplittableRandom rnd, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) rnd.nextGaussian();
        }
        return out;
    }

    private static int[] sampleWithoutReplacement(SplittableRandom rnd, int n, int k) {
        if (k > n) {
            throw new IllegalArgumentException("batch of " + k + " from a shard of " + n + " images");
        }
        // Partial Fisher-Yates over a lazily materialised permutation.
        Map<Integer, Integer> swapped = new HashMap<>();
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int atJ = swapped.getOrDefault(j, j);
            out[i] = atJ;
            swapped.put(j, swapped.getOrDefault(i, i));
        }
        return out;
    }

    static long mix(long a, long b) {
        return SeedMixer.finalise(a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L);
    }
}
