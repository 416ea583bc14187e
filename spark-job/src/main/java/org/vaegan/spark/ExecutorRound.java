package org.vaegan.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.SparkConfig;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.io.ProcessMemory;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.PartialUpdate;
import org.vaegan.core.train.PartitionTrainer;
import org.vaegan.core.train.Replica;

import java.util.List;

/**
 * One partition's share of a round, on the executor that holds the partition: binds the task's
 * GPU, borrows this JVM's replica, loads the round's broadcast state and trains on the shard.
 * The executor functions of every data source run it.
 */
final class ExecutorRound implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** What a JVM killed by SIGKILL reports (128 + 9). */
    private static final int KILLED_EXIT_CODE = 137;
    /** The executor id of tasks that run inside the driver (local mode; Spark's own constant is private). */
    private static final String DRIVER_EXECUTOR_ID = "driver";

    private final VaeganConfig config;
    private final Broadcast<ModelState> start;
    private final long round;
    private final LossConfig.Decision gate;

    ExecutorRound(VaeganConfig config, Broadcast<ModelState> start, long round, LossConfig.Decision gate) {
        this.config = config;
        this.start = start;
        this.round = round;
        this.gate = gate;
    }

    /**
     * Puts this task thread's ND4J work on the GPU Spark assigned to the task, if any (CUDA
     * backend). Replicas are pooled per executor JVM; an executor with one GPU per task slot keeps
     * each task thread on its own device.
     */
    private static void bindAssignedGpu() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return;
        }
        scala.Option<org.apache.spark.resource.ResourceInformation> gpu = task.resources().get("gpu");
        List<String> addresses = gpu.isDefined() ? List.of(gpu.get().addresses()) : List.of();
        int devices = Nd4j.getAffinityManager().getNumberOfDevices();
        GpuSelection.deviceIndex(addresses, System.getenv("CUDA_VISIBLE_DEVICES"), devices)
                .ifPresent(device -> Nd4j.getAffinityManager().unsafeSetDevice(device));
    }

    /** The test hooks of vaegan.spark.fault-injection: a task or an executor that dies mid-round, after its work. */
    private void injectFaults(int partition) {
        TaskContext task = TaskContext.get();
        if (partition != 0 || task == null || task.attemptNumber() != 0) {
            return;
        }
        SparkConfig.FaultInjection faults = config.spark().faults();
        if (round == faults.killExecutorInRound() && !DRIVER_EXECUTOR_ID.equals(SparkEnv.get().executorId())) {
            LoggerFactory.getLogger(ExecutorRound.class).error("killing executor {} in round {} "
                    + "(vaegan.spark.fault-injection.kill-executor-in-round)", SparkEnv.get().executorId(), round);
            // halt, not exit: no shutdown hooks, as when the machine or the container goes away
            Runtime.getRuntime().halt(KILLED_EXIT_CODE);
        }
        if (round == faults.failFirstAttemptInRound()) {
            throw new IllegalStateException("injected failure of partition 0, round " + round + ", attempt 0"
                    + " (vaegan.spark.fault-injection.fail-first-attempt-in-round)");
        }
    }

    long round() {
        return round;
    }

    PartialUpdate train(Shard shard) {
        bindAssignedGpu();
        long builtBefore = ExecutorReplicas.built();
        Replica replica = ExecutorReplicas.borrow(config);
        boolean built = ExecutorReplicas.built() > builtBefore;
        try {
            long fetchStart = System.nanoTime();
            ModelState startState = start.value();
            double fetchSeconds = (System.nanoTime() - fetchStart) / 1e9;
            PartialUpdate update = new PartitionTrainer(config).train(replica, startState, shard, round, gate);
            update.countReplicaBuilt(built);
            update.startFetchSeconds(fetchSeconds);
            update.executorMemory(ProcessMemory.rssMiB(), ProcessMemory.peakRssMiB());
            injectFaults(shard.partition());
            return update;
        } finally {
            ExecutorReplicas.giveBack(replica);
        }
    }
}
