package org.vaegan.core.train;

import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.state.ModelState;

/**
 * Runs one round on one partition: loads the round's starting state into a replica, takes
 * {@code vaegan.spark.averaging.steps} local steps on the partition's shard, and returns the weighted result.
 * Knows nothing of Spark: the Spark layer and the single-JVM tests call the same code.
 */
public final class PartitionTrainer {
    private final VaeganConfig config;

    public PartitionTrainer(VaeganConfig config) {
        this.config = config;
    }

    /** A round with each step's equilibrium-gate decision taken by the replica from its own scores. */
    public PartialUpdate train(Replica replica, ModelState start, Shard shard, long round) {
        return train(replica, start, shard, round, null);
    }

    /**
     * A round in which every step takes {@code gate} (null: the replica's own decision per step);
     * the distributed engine passes the same decision to every partition.
     */
    public PartialUpdate train(Replica replica, ModelState start, Shard shard, long round, LossConfig.Decision gate) {
        long began = System.nanoTime();
        replica.load(start);
        long skippedBefore = replica.skippedSteps();
        int batch = config.train().batchSize();
        int latent = config.model().latent();
        StepLosses[] losses = new StepLosses[config.spark().averagingSteps()];
        for (int s = 0; s < losses.length; s++) {
            StepDraws draws = StepDraws.of(config.train().seed(), round, shard.partition(), s, shard.images(), batch, latent);
            losses[s] = replica.step(shard.batch(draws.rows()), draws.noise(), draws.prior(), gate);
            MemoryBound.afterStep(config.train(), s);
        }
        long skipped = replica.skippedSteps() - skippedBefore;
        long trained = losses.length - skipped;
        PartialUpdate update = PartialUpdate.of(replica.snapshot(), (double) trained * batch);
        for (StepLosses l : losses) {
            if (l.allFinite()) {
                update.addLosses(l);
            }
        }
        update.countSteps(trained, skipped);
        update.computeSeconds((System.nanoTime() - began) / 1e9);
        return update;
    }
}
