package org.vaegan.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;
import org.vaegan.core.data.CachedShard;
import org.vaegan.core.data.DatasetListing;
import org.vaegan.core.data.Shard;
import org.vaegan.core.train.PartialUpdate;

/**
 * Executor side of a round on a decoded dataset: reads the round's blocks of the partition's
 * cached shard (within the memory budget), then trains on them like {@link TrainPartitionFunction}.
 */
final class TrainCachedPartitionFunction implements Function<CachedShard, PartialUpdate> {
    private static final long serialVersionUID = 1L;

    private final ExecutorRound round;
    private final HadoopConfiguration hadoop;

    TrainCachedPartitionFunction(ExecutorRound round, HadoopConfiguration hadoop) {
        this.round = round;
        this.hadoop = hadoop;
    }

    @Override
    public PartialUpdate call(CachedShard cached) throws Exception {
        Path file = new Path(cached.cacheFile());
        Shard shard = cached.window(DatasetListing.fileSystem(file, hadoop.get()), round.round());
        return round.train(shard);
    }
}
