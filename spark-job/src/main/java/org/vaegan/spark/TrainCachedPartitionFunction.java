package org.vaegan.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.CachedShard;
import org.vaegan.core.data.DatasetListing;
import org.vaegan.core.data.Shard;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.PartialUpdate;
import org.vaegan.core.train.PartitionTrainer;
import org.vaegan.core.train.Replica;

/**
 * Executor side of a round on a decoded dataset: reads the round's blocks of the partition's
 * cached shard (within the memory budget), then trains on them like {@link TrainPartitionFunction}.
 */
final class TrainCachedPartitionFunction implements Function<CachedShard, PartialUpdate> {
    private static final long serialVersionUID = 1L;

    private final VaeganConfig config;
    private final Broadcast<ModelState> start;
    private final long round;
    private final HadoopConfiguration hadoop;

    TrainCachedPartitionFunction(VaeganConfig config, Broadcast<ModelState> start, long round, HadoopConfiguration hadoop) {
        this.config = config;
        this.start = start;
        this.round = round;
        this.hadoop = hadoop;
    }

    @Override
    public PartialUpdate call(CachedShard cached) throws Exception {
        Path file = new Path(cached.cacheFile());
        Shard shard = cached.window(DatasetListing.fileSystem(file, hadoop.get()), round);
        Replica replica = ExecutorReplicas.borrow(config);
        try {
            return new PartitionTrainer(config).train(replica, start.value(), shard, round);
        } finally {
            ExecutorReplicas.giveBack(replica);
        }
    }
}
