package org.vaegan.spark;

import org.apache.spark.api.java.function.Function;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.DecodeReport;
import org.vaegan.core.data.ShardDecoder;
import org.vaegan.core.data.ShardSpec;

/** Executor side of data preparation: decodes one shard's files into its cache file. */
final class DecodeShardFunction implements Function<ShardSpec, DecodeReport> {
    private static final long serialVersionUID = 1L;

    private final VaeganConfig config;
    private final HadoopConfiguration hadoop;

    DecodeShardFunction(VaeganConfig config, HadoopConfiguration hadoop) {
        this.config = config;
        this.hadoop = hadoop;
    }

    @Override
    public DecodeReport call(ShardSpec spec) throws Exception {
        return new ShardDecoder(config.data().preprocess(), config.model().imageSize(), config.model().channels())
                .decode(spec, hadoop.get());
    }
}
