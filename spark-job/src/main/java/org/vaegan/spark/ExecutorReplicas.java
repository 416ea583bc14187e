package org.vaegan.spark;

import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.train.Replica;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replicas kept alive in an executor JVM between rounds, so a round only loads new parameters
 * instead of building networks again. Tasks running at the same time each borrow their own.
 */
final class ExecutorReplicas {
    private static final Map<VaeganConfig, ConcurrentLinkedQueue<Replica>> IDLE = new ConcurrentHashMap<>();
    private static final AtomicLong BUILT = new AtomicLong();

    private ExecutorReplicas() {
    }

    static Replica borrow(VaeganConfig config) {
        Replica replica = IDLE.computeIfAbsent(config, c -> new ConcurrentLinkedQueue<>()).poll();
        if (replica != null) {
            return replica;
        }
        BUILT.incrementAndGet();
        return new Replica(config);
    }

    /** Replicas this JVM has built so far: after the first round it should stop growing. */
    static long built() {
        return BUILT.get();
    }

    static void giveBack(Replica replica) {
        IDLE.computeIfAbsent(replica.config(), c -> new ConcurrentLinkedQueue<>()).add(replica);
    }
}
