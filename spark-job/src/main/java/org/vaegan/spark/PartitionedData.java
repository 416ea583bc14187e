package org.vaegan.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.CachedShard;
import org.vaegan.core.data.DataPreparation;
import org.vaegan.core.data.DatasetListing;
import org.vaegan.core.data.PreparedData;
import org.vaegan.core.data.Shard;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.PartialUpdate;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The training data as Spark holds it, one element per partition: synthetic shards drawn on the
 * executors and kept in memory, or a real dataset decoded on the executors into the shard cache
 * (nothing decoded on a cache hit), whose shards each round reads within the memory budget.
 */
final class PartitionedData {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionedData.class);

    private final VaeganConfig config;
    private final HadoopConfiguration hadoop;
    private final JavaRDD<Shard> synthetic;
    private final JavaRDD<CachedShard> cached;
    private final PreparedData prepared;
    private final Shard sampleOriginals;

    private PartitionedData(VaeganConfig config, HadoopConfiguration hadoop, JavaRDD<Shard> synthetic, JavaRDD<CachedShard> cached,
                            PreparedData prepared, Shard sampleOriginals) {
        this.config = config;
        this.hadoop = hadoop;
        this.synthetic = synthetic;
        this.cached = cached;
        this.prepared = prepared;
        this.sampleOriginals = sampleOriginals;
    }

    static PartitionedData prepare(JavaSparkContext sc, VaeganConfig config) throws IOException {
        int partitions = config.spark().partitions();
        HadoopConfiguration hadoop = new HadoopConfiguration(sc.hadoopConfiguration());
        long began = System.nanoTime();
        if (config.data().synthetic()) {
            List<Integer> ids = IntStream.range(0, partitions).boxed().toList();
            JavaRDD<Shard> shards = sc.parallelize(ids, partitions)
                    .map(new SyntheticShardFunction(config))
                    .persist(StorageLevel.MEMORY_ONLY());
            shards.count();
            LOG.info(String.format(Locale.ROOT, "data: %d partitions x %d synthetic images drawn in %.1fs", partitions,
                    config.data().syntheticImagesPerPartition(), (System.nanoTime() - began) / 1e9));
            return new PartitionedData(config, hadoop, shards, null, null, null);
        }
        // One decoding task per evenly sized shard, on the executors.
        PreparedData prepared = new DataPreparation(config, sc.hadoopConfiguration()).prepare(
                specs -> sc.parallelize(specs, specs.size()).map(new DecodeShardFunction(config, hadoop)).collect());
        JavaRDD<CachedShard> cached = sc.parallelize(prepared.shards(), prepared.shards().size());
        // The grids' originals: the first cached images (not held out: they are trained on too).
        CachedShard first = prepared.shards().get(0);
        Shard originals = first.head(DatasetListing.fileSystem(new Path(first.cacheFile()), sc.hadoopConfiguration()),
                config.output().gridSize() * config.output().gridSize());
        LOG.info(String.format(Locale.ROOT, "data: %d partitions, %d images (%d bad files skipped), ready in %.1fs",
                partitions, prepared.images(), prepared.badFiles(), (System.nanoTime() - began) / 1e9));
        return new PartitionedData(config, hadoop, null, cached, prepared, originals);
    }

    /** Each partition's update after the round's local steps from {@code start}, all taking {@code gate}. */
    JavaRDD<PartialUpdate> train(Broadcast<ModelState> start, long round, LossConfig.Decision gate) {
        ExecutorRound task = new ExecutorRound(config, start, round, gate);
        return synthetic != null
                ? synthetic.map(new TrainPartitionFunction(task))
                : cached.map(new TrainCachedPartitionFunction(task, hadoop));
    }

    /** What run.json records of a real dataset (fingerprint, cache); null for synthetic data. */
    PreparedData prepared() {
        return prepared;
    }

    /** Originals for the sample grids' reconstructions; null: held-out synthetic images. */
    Shard sampleOriginals() {
        return sampleOriginals;
    }

    void release() {
        if (synthetic != null) {
            synthetic.unpersist(false);
        }
    }
}
