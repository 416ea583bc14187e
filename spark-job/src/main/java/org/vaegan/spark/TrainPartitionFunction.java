package org.vaegan.spark;

import org.apache.spark.api.java.function.Function;
import org.vaegan.core.data.Shard;
import org.vaegan.core.train.PartialUpdate;

/** Executor side of a round on an in-memory shard (the synthetic source): one partition's update out. */
final class TrainPartitionFunction implements Function<Shard, PartialUpdate> {
    private static final long serialVersionUID = 1L;

    private final ExecutorRound round;

    TrainPartitionFunction(ExecutorRound round) {
        this.round = round;
    }

    @Override
    public PartialUpdate call(Shard shard) {
        return round.train(shard);
    }
}
