package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checkpoints in ND4J's binary array format (never Java serialization): per network its flat
 * parameters (batch-norm statistics included) and RMSProp state, the run's resolved config, and
 * {@code manifest.json} with the round, step, images seen, the next round's gate decision, the
 * data fingerprint, the round's metrics and the SHA-256 of every file. Files go to a temporary
 * folder, are closed, the manifest is written, the folder is renamed into place, and only then is
 * LATEST updated. Reading verifies every checksum; {@link #readNewestValid} skips, with a warning
 * naming the path, any checkpoint that is half-written or corrupt.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final String MANIFEST = "manifest.json";
    private static final String CONFIG = "config.json";
    /** Moving average of the decoder's parameters, present when vaegan.model.decoder-ema-decay > 0. */
    private static final String DECODER_EMA = "decoder.ema.bin";
    private static final Pattern ROUND_FOLDER = Pattern.compile("round-\\d{6,}");
    private static final int FORMAT = 2;
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
        FileSystem fs = layout.fs();
        ModelState state = checkpoint.state();
        Progress progress = checkpoint.progress();
        Path target = layout.checkpoint(checkpoint.round());
        Path tmp = new Path(layout.checkpoints(), "." + target.getName() + ".tmp");
        if (fs.exists(tmp)) {
            fs.delete(tmp, true);
        }
        fs.mkdirs(tmp);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("round", checkpoint.round());
        manifest.put("step", state.step());
        manifest.put("images", progress.images());
        ObjectNode gate = manifest.putObject("next_gate");
        gate.put("discriminator", progress.nextGate().updateDiscriminator());
        gate.put("decoder", progress.nextGate().updateDecoder());
        if (progress.data() != null) {
            manifest.set("data", progress.data());
        }
        if (progress.metrics() != null) {
            manifest.set("metrics", progress.metrics());
        }
        ObjectNode files = manifest.putObject("files");
        for (Part p : Part.values()) {
            writeArray(fs, tmp, p.fileName() + ".params.bin", state.params(p), files);
            writeArray(fs, tmp, p.fileName() + ".rmsprop.bin", state.optimizer(p), files);
        }
        if (state.decoderEma() != null) {
            writeArray(fs, tmp, DECODER_EMA, state.decoderEma(), files);
        }
        if (progress.config() != null) {
            byte[] config = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(progress.config());
            RunFiles.writeAtomically(fs, new Path(tmp, CONFIG), config);
            files.put(CONFIG, sha256(config));
        }
        // The manifest is written last inside the folder: a folder without one is never read.
        RunFiles.writeAtomically(fs, new Path(tmp, MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        if (fs.exists(target)) {
            fs.delete(target, true);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot move checkpoint " + tmp + " to " + target);
        }
        RunFiles.writeAtomically(fs, layout.latestCheckpointPointer(), target.getName() + "\n");
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
                JsonNode value = JSON.readTree(RunFiles.read(layout.fs(), new Path(dir, MANIFEST))).path("metrics").path(metric);
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
        FileSystem fs = layout.fs();
        Path manifestPath = new Path(dir, MANIFEST);
        if (!fs.exists(manifestPath)) {
            throw new IOException("checkpoint " + dir + " has no " + MANIFEST + " (incomplete or not a checkpoint)");
        }
        JsonNode manifest = JSON.readTree(RunFiles.read(fs, manifestPath));
        JsonNode files = manifest.get("files");
        if (files == null || !manifest.has("round") || !manifest.has("step")) {
            throw new IOException("checkpoint " + dir + ": " + MANIFEST + " lacks round, step or files");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            byte[] bytes;
            try {
                bytes = RunFiles.read(fs, new Path(dir, f.getKey()));
            } catch (IOException e) {
                // Hadoop's own checksums (e.g. .crc files of the local file system) may catch it first.
                throw new IOException("checkpoint file " + new Path(dir, f.getKey()) + " is corrupt or unreadable: "
                        + e.getMessage(), e);
            }
            String actual = sha256(bytes);
            if (!actual.equals(f.getValue().asText())) {
                throw new IOException("checkpoint file " + new Path(dir, f.getKey()) + " is corrupt: SHA-256 " + actual
                        + ", manifest says " + f.getValue().asText());
            }
        }
        int n = Part.values().length;
        float[][] params = new float[n][];
        float[][] optimizer = new float[n][];
        for (Part p : Part.values()) {
            params[p.ordinal()] = readArray(fs, new Path(dir, p.fileName() + ".params.bin"));
            optimizer[p.ordinal()] = readArray(fs, new Path(dir, p.fileName() + ".rmsprop.bin"));
        }
        float[] ema = files.has(DECODER_EMA) ? readArray(fs, new Path(dir, DECODER_EMA)) : null;
        JsonNode gate = manifest.path("next_gate");
        Progress progress = new Progress(manifest.path("images").asLong(0),
                new LossConfig.Decision(gate.path("discriminator").asBoolean(true), gate.path("decoder").asBoolean(true)),
                files.has(CONFIG) ? JSON.readTree(RunFiles.read(fs, new Path(dir, CONFIG))) : null,
                manifest.get("data"), manifest.get("metrics"));
        return new Checkpoint(manifest.get("round").asLong(),
                new ModelState(params, optimizer, manifest.get("step").asLong(), ema), progress);
    }

    /** Streams the array to its file (no second copy in memory) and records its SHA-256. */
    private static void writeArray(FileSystem fs, Path dir, String name, float[] values, ObjectNode files) throws IOException {
        MessageDigest digest = sha256Digest();
        INDArray array = Nd4j.createFromArray(values);
        try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(fs.create(new Path(dir, name), true), digest))) {
            Nd4j.write(array, out);
        } finally {
            array.close();
        }
        files.put(name, HexFormat.of().formatHex(digest.digest()));
    }

    private static float[] readArray(FileSystem fs, Path path) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(RunFiles.read(fs, path)))) {
            INDArray array = Nd4j.read(in);
            return array.toFloatVector();
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
