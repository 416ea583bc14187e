package org.vaegan.spark;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.PartialUpdate;
import org.vaegan.core.train.PartitionTrainer;
import org.vaegan.core.train.Replica;

/** Executor side of a round: the round's broadcast state in, one partition's update out. */
final class TrainPartitionFunction implements Function<Shard, PartialUpdate> {
    private static final long serialVersionUID = 1L;

    private final VaeganConfig config;
    private final Broadcast<ModelState> start;
    private final long round;

    TrainPartitionFunction(VaeganConfig config, Broadcast<ModelState> start, long round) {
        this.config = config;
        this.start = start;
        this.round = round;
    }

    @Override
    public PartialUpdate call(Shard shard) {
        Replica replica = ExecutorReplicas.borrow(config);
        try {
            return new PartitionTrainer(config).train(replica, start.value(), shard, round);
        } finally {
            ExecutorReplicas.giveBack(replica);
        }
    }
}
