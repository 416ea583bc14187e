package org.vaegan.core.io;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.OutputConfig;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * When a run writes checkpoints and which it keeps: every {@code vaegan.checkpoint.every-rounds}
 * rounds and after the last round; when a round fails or the JVM shuts down (SIGTERM, driver
 * stop), the last complete round if it is not written yet. After each write, retention
 * ({@code keep-last}, {@code keep-best-by}).
 */
public final class RoundCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoundCheckpointer.class);
    /** Runs before Spark's own hooks (Hadoop priority 40) and before Hadoop closes its file systems (10). */
    private static final int SHUTDOWN_PRIORITY = 45;
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 120;

    private final CheckpointStore store;
    private final OutputConfig output;
    private final long lastRound;
    private final Runnable shutdownHook = this::onShutdown;
    private CheckpointStore.Checkpoint latest;
    private long writtenRound;

    /**
     * @param lastRound    the run's final round (always checkpointed)
     * @param writtenRound the round of the checkpoint the run resumed from (0: none)
     */
    public RoundCheckpointer(CheckpointStore store, OutputConfig output, long lastRound, long writtenRound) {
        this.store = store;
        this.output = output;
        this.lastRound = lastRound;
        this.writtenRound = writtenRound;
        ShutdownHookManager.get().addShutdownHook(shutdownHook, SHUTDOWN_PRIORITY, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Records the state after a round and writes it when due; returns the folder written, or null. */
    public synchronized Path completed(CheckpointStore.Checkpoint checkpoint) throws IOException {
        latest = checkpoint;
        int every = output.checkpointEveryRounds();
        boolean due = checkpoint.round() >= lastRound || (every > 0 && checkpoint.round() % every == 0);
        return due ? writeLatest() : null;
    }

    /** Writes the last complete round unless it is already written; returns the folder, or null. */
    public synchronized Path keepProgress() throws IOException {
        return latest == null || latest.round() == writtenRound ? null : writeLatest();
    }

    private Path writeLatest() throws IOException {
        Path dir = store.write(latest);
        writtenRound = latest.round();
        List<Path> deleted = store.retain(output.checkpointKeepLast(), output.checkpointKeepBestBy());
        if (!deleted.isEmpty()) {
            LOG.debug("retention deleted {}", deleted);
        }
        return dir;
    }

    private void onShutdown() {
        try {
            Path dir = keepProgress();
            if (dir != null) {
                LOG.warn("shutting down before the run ended: checkpoint of round {} written to {}", writtenRound, dir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("shutting down: the checkpoint of the last complete round could not be written", e);
        }
    }

    /** The run ended (or failed and kept its progress): no checkpoint at shutdown any more. */
    @Override
    public void close() {
        if (!ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(shutdownHook);
        }
    }
}
