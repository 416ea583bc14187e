package org.vaegan.core.config;

import java.io.Serializable;

/** The whole, validated configuration of a run: one typed tree built once at start-up. */
public record VaeganConfig(
        ModelConfig model,
        LossConfig loss,
        OptimizerConfig optimizer,
        TrainConfig train,
        DataConfig data,
        SparkConfig spark,
        OutputConfig output) implements Serializable {

    public VaeganConfig {
        int perPartition = data.syntheticImagesPerPartition();
        if (perPartition < train.batchSize()) {
            throw new InvalidConfigException("vaegan.data.synthetic.images-per-partition",
                    "must be at least vaegan.train.batch-size (" + train.batchSize() + "), got " + perPartition);
        }
    }
}
