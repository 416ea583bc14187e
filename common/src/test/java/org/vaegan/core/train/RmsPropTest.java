package org.vaegan.core.train;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaegan.core.config.OptimizerConfig;
import org.vaegan.core.model.ParameterRanges;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The in-place update against the textbook formula, element by element, over groups of different
 * sizes, in one chunk and in chunks that cut through the ranges of weights and statistics.
 */
class RmsPropTest {
    private static final double LR = 3e-3;
    private static final OptimizerConfig CONFIG =
            new OptimizerConfig(LR, 0.9, 1e-8, 1e-2, OptimizerConfig.Schedule.CONSTANT, 1e-7, 0.75);

    @ParameterizedTest
    @ValueSource(longs = {RmsProp.CHUNK, 9})
    void updatesEveryGroupAsTheFormulaSays(long chunk) {
        RmsProp rmsProp = new RmsProp(CONFIG, chunk);
        Random random = new Random(3);
        // A large group, then a smaller one (a view of the same scratch), then a larger one again.
        for (int n : new int[] {50, 20, 80, 20}) {
            Group group = new Group(n, random);
            for (int step = 0; step < 3; step++) {
                float[] gradient = randoms(n, random);
                float[] expectedParams = group.params.clone();
                float[] expectedMeanSquare = group.meanSquare.clone();
                for (int i = 0; i < n; i++) {
                    double g = gradient[i] + CONFIG.weightDecay() * group.decay[i] * expectedParams[i];
                    expectedMeanSquare[i] = (float) (0.9 * expectedMeanSquare[i] + 0.1 * g * g);
                    double update = group.statistics[i] == 1 ? gradient[i] : LR * g / (Math.sqrt(expectedMeanSquare[i]) + 1e-8);
                    expectedParams[i] = (float) (expectedParams[i] - update);
                }
                INDArray params = Nd4j.createFromArray(group.params);
                INDArray meanSquare = Nd4j.createFromArray(group.meanSquare);
                rmsProp.step(params, Nd4j.createFromArray(gradient), meanSquare,
                        new RmsProp.ParameterLayout(ranges(group.decay), ranges(group.statistics)), LR);
                group.params = params.toFloatVector();
                group.meanSquare = meanSquare.toFloatVector();
                for (int i = 0; i < n; i++) {
                    assertEquals(expectedParams[i], group.params[i], 1e-5 * Math.max(1, Math.abs(expectedParams[i])),
                            "parameter " + i + " of a group of " + n + ", step " + step + ", chunk " + chunk);
                    assertEquals(expectedMeanSquare[i], group.meanSquare[i], 1e-5 * Math.abs(expectedMeanSquare[i]) + 1e-12,
                            "mean square " + i + " of a group of " + n + ", step " + step);
                }
            }
        }
    }

    /** A parameter group: weights (decayed), biases, and batch-norm running statistics. */
    private static final class Group {
        float[] params;
        float[] meanSquare;
        final float[] decay;
        final float[] statistics;

        Group(int n, Random random) {
            params = randoms(n, random);
            meanSquare = new float[n];
            decay = new float[n];
            statistics = new float[n];
            for (int i = 0; i < n; i++) {
                // Runs of weights, biases and statistics, as in a layer table.
                switch (i % 7) {
                    case 0, 1, 2 -> decay[i] = 1;
                    case 4, 5 -> statistics[i] = 1;
                    default -> { }
                }
                meanSquare[i] = random.nextFloat() * 0.01f;
            }
        }
    }

    /** The ranges where {@code flags} is 1. */
    private static ParameterRanges ranges(float[] flags) {
        ParameterRanges.Builder ranges = new ParameterRanges.Builder();
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == 1) {
                ranges.add(i, i + 1);
            }
        }
        return ranges.build(flags.length);
    }

    private static float[] randoms(int n, Random random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
