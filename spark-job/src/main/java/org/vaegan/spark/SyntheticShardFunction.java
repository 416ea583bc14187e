package org.vaegan.spark;

import org.apache.spark.api.java.function.Function;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;

/** Draws a partition's share of the synthetic dataset where the partition lives. */
final class SyntheticShardFunction implements Function<Integer, Shard> {
    private static final long serialVersionUID = 1L;

    private final VaeganConfig config;

    SyntheticShardFunction(VaeganConfig config) {
        this.config = config;
    }

    @Override
    public Shard call(Integer partition) {
        return Shard.synthetic(partition, config.data().syntheticImagesPerPartition(), config.model().channels(),
                config.model().imageSize(), config.train().seed());
    }
}
