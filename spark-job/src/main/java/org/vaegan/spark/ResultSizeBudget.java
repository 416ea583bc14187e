package org.vaegan.spark;

import org.apache.spark.SparkConf;
import org.vaegan.core.config.InvalidConfigException;

import java.util.Locale;

/**
 * Checks before the first round that the driver may receive a round's partition updates: each is
 * a whole model state, and Spark aborts the stage once the results of its tasks pass
 * {@code spark.driver.maxResultSize}, which would happen after a whole round of work.
 */
final class ResultSizeBudget {
    static final String KEY = "spark.driver.maxResultSize";
    /** Spark's own default, in force when neither the user nor {@code VaeganMain} set the key. */
    private static final String SPARK_DEFAULT = "1g";

    private ResultSizeBudget() {
    }

    /**
     * How many updates reach the driver from {@code RDD.treeReduce} over {@code partitions} at
     * {@code depth}: Spark adds a shuffle level only while it saves wall-clock time (the rule of
     * {@code RDD.treeAggregate}), and the last level's partitions send their results to the driver.
     */
    static int updatesAtDriver(int partitions, int depth) {
        int n = partitions;
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
        while (n > scale + Math.ceil((double) n / scale)) {
            n /= scale;
        }
        return n;
    }

    /** Throws with the value to set when the configured cap is below a round's results. */
    static void check(SparkConf conf, int partitions, int depth, long stateBytes) {
        long cap = conf.getSizeAsBytes(KEY, SPARK_DEFAULT);
        int updates = updatesAtDriver(partitions, depth);
        // A little over the float payload: the update's counters and Kryo's framing.
        long needed = updates * (stateBytes + (1L << 20));
        if (cap > 0 && needed > cap) {
            throw new InvalidConfigException(KEY, String.format(Locale.ROOT,
                    "%s is below what a round sends the driver: %d partition update(s) of %.0f MiB (the model state)"
                            + " = %.0f MiB; set it to at least %dm, or to 0 for no cap (the driver merges the updates one at a time)",
                    conf.get(KEY, SPARK_DEFAULT), updates, stateBytes / (double) (1 << 20), needed / (double) (1 << 20),
                    (needed >> 20) + 1));
        }
    }
}
