package org.vaegan.spark;

import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.train.Replica;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Replicas kept alive in an executor JVM between rounds, so a round only loads new parameters
 * instead of building networks again. Tasks running at the same time each borrow their own.
 */
final class ExecutorReplicas {
    private static final Map<VaeganConfig, ConcurrentLinkedQueue<Replica>> IDLE = new ConcurrentHashMap<>();

    private ExecutorReplicas() {
    }

    static Replica borrow(VaeganConfig config) {
        Replica replica = IDLE.computeIfAbsent(config, c -> new ConcurrentLinkedQueue<>()).poll();
        return replica != null ? replica : new Replica(config);
    }

    static void giveBack(Replica replica) {
        IDLE.computeIfAbsent(replica.config(), c -> new ConcurrentLinkedQueue<>()).add(replica);
    }
}
