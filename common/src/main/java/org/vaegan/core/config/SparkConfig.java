package org.vaegan.core.config;

import java.io.Serializable;

/** How the job is distributed (keys under vaegan.spark). No Spark types: the core stays Spark-free. */
public record SparkConfig(String master, int partitions, int treeDepth, int averagingSteps, int failFirstAttemptInRound)
        implements Serializable {
    public SparkConfig {
        Checks.nonNegative("vaegan.spark.fault-injection.fail-first-attempt-in-round", failFirstAttemptInRound);
        Checks.notBlank("vaegan.spark.master", master);
        Checks.positive("vaegan.spark.partitions", partitions);
        Checks.positive("vaegan.spark.tree-depth", treeDepth);
        Checks.positive("vaegan.spark.averaging.steps", averagingSteps);
    }
}
