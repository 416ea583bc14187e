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
        OutputConfig output,
        InitConfig init) implements Serializable {

    public VaeganConfig {
        int perPartition = data.syntheticImagesPerPartition();
        if (data.synthetic() && perPartition < train.batchSize()) {
            throw new InvalidConfigException("vaegan.data.synthetic.images-per-partition",
                    "must be at least vaegan.train.batch-size (" + train.batchSize() + "), got " + perPartition);
        }
        // A streamed shard holds whole blocks, and every step draws a batch from what is held.
        long imageBytes = (long) model.channels() * model.imageSize() * model.imageSize();
        long needed = imageBytes * Math.max(data.blockImages(), train.batchSize());
        if (needed > data.memoryBudgetBytes()) {
            throw new InvalidConfigException("vaegan.data.memory-budget-mib", "must hold at least one block"
                    + " (vaegan.data.block-images) and one batch (vaegan.train.batch-size) of "
                    + model.imageSize() + "x" + model.imageSize() + "x" + model.channels() + " images: "
                    + needed + " bytes, got " + data.memoryBudgetMiB() + " MiB");
        }
    }
}
