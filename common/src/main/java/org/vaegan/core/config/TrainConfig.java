package org.vaegan.core.config;

import java.io.Serializable;

/** Length and batching of a run (keys under vaegan.train). */
public record TrainConfig(int rounds, int batchSize, long seed, int gcEverySteps, boolean recomputeForward, int maxBadSteps,
                          boolean resume) implements Serializable {
    public TrainConfig {
        Checks.positive("vaegan.train.rounds", rounds);
        Checks.nonNegative("vaegan.train.gc-every-steps", gcEverySteps);
        Checks.positive("vaegan.train.max-bad-steps", maxBadSteps);
        if (batchSize < 2) {
            // Batch normalisation needs at least two images per batch.
            throw new InvalidConfigException("vaegan.train.batch-size", "must be >= 2 (batch normalisation), got " + batchSize);
        }
    }
}
