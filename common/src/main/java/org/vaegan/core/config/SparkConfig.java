package org.vaegan.core.config;

import java.io.Serializable;

/** How the job is distributed (keys under vaegan.spark). No Spark types: the core stays Spark-free. */
public record SparkConfig(String master, int partitions, int treeDepth, int averagingSteps, FaultInjection faults)
        implements Serializable {
    public SparkConfig {
        Checks.notBlank("vaegan.spark.master", master);
        Checks.positive("vaegan.spark.partitions", partitions);
        Checks.positive("vaegan.spark.tree-depth", treeDepth);
        Checks.positive("vaegan.spark.averaging.steps", averagingSteps);
    }

    /**
     * Test hooks (keys under vaegan.spark.fault-injection; 0 = off): in the given round, the first
     * attempt of partition 0's task fails after its work, or kills its executor JVM.
     */
    public record FaultInjection(int failFirstAttemptInRound, int killExecutorInRound) implements Serializable {
        public static final FaultInjection NONE = new FaultInjection(0, 0);

        public FaultInjection {
            Checks.nonNegative("vaegan.spark.fault-injection.fail-first-attempt-in-round", failFirstAttemptInRound);
            Checks.nonNegative("vaegan.spark.fault-injection.kill-executor-in-round", killExecutorInRound);
        }
    }
}
