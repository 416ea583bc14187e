package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.state.ModelState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A run's checkpoints, {@code checkpoints/round-NNNNNN/} folders in {@link CheckpointFormat}: per
 * network its flat parameters (batch-norm statistics included) and RMSProp state in ND4J's binary
 * array format, the run's resolved config, and {@code manifest.json} with the round, step, images
 * seen, the next round's gate decision, the data fingerprint, the round's metrics and the SHA-256
 * of every file. A folder is renamed into place whole, and only then is LATEST updated. Reading
 * verifies every checksum; {@link #readNewestValid} skips, with a warning naming the path, any
 * checkpoint that is half-written or corrupt.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern ROUND_FOLDER = Pattern.compile("round-\\d{6,}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunLayout layout;

    public CheckpointStore(RunLayout layout) {
        this.layout = layout;
    }

    /** A checkpoint as written or read back: the state after {@code round} and where the run stood. */
    public record Checkpoint(long round, ModelState state, Progress progress) {
    }

    /**
     * What a resume needs besides the arrays (images seen so far, the gate decision for the next
     * round) and what produced them (resolved config, data description, the round's metrics).
     * The JSON parts may be null where unknown.
     */
    public record Progress(long images, LossConfig.Decision nextGate, JsonNode config, JsonNode data, JsonNode metrics) {
        public static final Progress UNKNOWN = new Progress(0, LossConfig.Decision.BOTH, null, null, null);
    }

    /** Writes the state after {@code round} with no run context (tests, tools). */
    public Path write(long round, ModelState state) throws IOException {
        return write(new Checkpoint(round, state, Progress.UNKNOWN));
    }

    public Path write(Checkpoint checkpoint) throws IOException {
        Path target = CheckpointFormat.write(layout.fs(), layout.checkpoint(checkpoint.round()), checkpoint, Map.of(), true);
        RunFiles.writeAtomically(layout.fs(), layout.latestCheckpointPointer(), target.getName() + "\n");
        return target;
    }

    /** Reads and verifies the checkpoint named by LATEST. */
    public Checkpoint readLatest() throws IOException {
        Path pointer = layout.latestCheckpointPointer();
        if (!layout.fs().exists(pointer)) {
            throw new IOException("no checkpoint in " + layout.checkpoints() + " (LATEST is missing)");
        }
        return read(new Path(layout.checkpoints(), RunFiles.readText(layout.fs(), pointer).trim()));
    }

    /**
     * The newest checkpoint that verifies, skipping (with a warning naming its path) any that is
     * half-written or corrupt; empty when the run has none. A folder renamed into place whose
     * LATEST update was lost is complete and verified, so it is used too.
     */
    public Optional<Checkpoint> readNewestValid() throws IOException {
        for (Path dir : roundFolders()) {
            try {
                return Optional.of(read(dir));
            } catch (IOException | RuntimeException e) {
                LOG.warn("checkpoint {} is unusable, trying the one before it: {}", dir, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The checkpoint folders of the run, newest first (temporary folders excluded). */
    public List<Path> roundFolders() throws IOException {
        FileSystem fs = layout.fs();
        List<Path> dirs = new ArrayList<>();
        if (!fs.exists(layout.checkpoints())) {
            return dirs;
        }
        for (FileStatus s : fs.listStatus(layout.checkpoints())) {
            if (s.isDirectory() && ROUND_FOLDER.matcher(s.getPath().getName()).matches()) {
                dirs.add(s.getPath());
            }
        }
        dirs.sort(Comparator.comparing((Path p) -> Long.parseLong(p.getName().substring("round-".length()))).reversed());
        return dirs;
    }

    /**
     * Deletes old checkpoints: keeps the newest {@code keepLast} (0: all) and, when
     * {@code bestMetric} is not empty, the one whose round had the lowest value of that metric.
     */
    public List<Path> retain(int keepLast, String bestMetric) throws IOException {
        List<Path> dirs = roundFolders();
        if (keepLast <= 0 || dirs.size() <= keepLast) {
            return List.of();
        }
        Path best = bestMetric.isEmpty() ? null : best(dirs, bestMetric);
        List<Path> deleted = new ArrayList<>();
        for (Path dir : dirs.subList(keepLast, dirs.size())) {
            if (!dir.equals(best) && layout.fs().delete(dir, true)) {
                deleted.add(dir);
            }
        }
        return deleted;
    }

    private Path best(List<Path> dirs, String metric) {
        Path best = null;
        double lowest = Double.POSITIVE_INFINITY;
        for (Path dir : dirs) {
            try {
                JsonNode manifest = JSON.readTree(RunFiles.read(layout.fs(), new Path(dir, CheckpointFormat.MANIFEST)));
                JsonNode value = manifest.path("metrics").path(metric);
                if (value.isNumber() && value.asDouble() < lowest) {
                    lowest = value.asDouble();
                    best = dir;
                }
            } catch (IOException e) {
                LOG.warn("checkpoint {}: manifest unreadable, not a candidate for the best {}: {}", dir, metric, e.getMessage());
            }
        }
        return best;
    }

    /** Reads a checkpoint folder, refusing any file whose SHA-256 differs from the manifest. */
    public Checkpoint read(Path dir) throws IOException {
        return CheckpointFormat.read(layout.fs(), dir);
    }
}
