package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One checkpoint folder, the unit both a run's checkpoints and an exported model version are made
 * of: per network its flat parameters (batch-norm statistics included) and RMSProp state in ND4J's
 * binary array format (never Java serialization), the decoder's moving average when kept, the
 * resolved config, any extra files the writer adds, and {@code manifest.json} with the round,
 * step, images seen, the next round's gate decision, the data description, the round's metrics
 * and the SHA-256 of every file. Written into a temporary sibling folder, manifest last, then
 * renamed into place; read back only after every checksum verifies.
 */
public final class CheckpointFormat {
    public static final String MANIFEST = "manifest.json";
    public static final String CONFIG = "config.json";
    /** Moving average of the decoder's parameters, present when vaegan.model.decoder-ema-decay > 0. */
    static final String DECODER_EMA = "decoder.ema.bin";
    /**
     * 3: the networks have a ReLU after every batch norm. Format 2 and older checkpoints come from
     * networks without them (DL4J ignored the activation set on its batch-norm layer), so their
     * weights belong to another function and are refused.
     */
    private static final int FORMAT = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFormat() {
    }

    /**
     * Writes {@code checkpoint} to {@code target} through the temporary folder {@code .NAME.tmp}
     * beside it, then renames it into place.
     *
     * @param extraFiles      more files for the folder (name to content), checksummed in the manifest like the rest
     * @param replaceExisting whether an existing {@code target} is replaced; if not, it is an error
     * @return the folder written
     */
    public static Path write(FileSystem fs, Path target, CheckpointStore.Checkpoint checkpoint, Map<String, byte[]> extraFiles,
                             boolean replaceExisting) throws IOException {
        ModelState state = checkpoint.state();
        CheckpointStore.Progress progress = checkpoint.progress();
        for (String name : extraFiles.keySet()) {
            if (reserved(name) || name.contains("/")) {
                throw new IllegalArgumentException("extra checkpoint file \"" + name + "\" is a reserved or invalid name");
            }
        }
        if (!replaceExisting && fs.exists(target)) {
            throw new IOException(target + " exists already");
        }
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
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
            writeFile(fs, tmp, CONFIG, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(progress.config()), files);
        }
        for (Map.Entry<String, byte[]> extra : extraFiles.entrySet()) {
            writeFile(fs, tmp, extra.getKey(), extra.getValue(), files);
        }
        // The manifest is written last inside the folder: a folder without one is never read.
        RunFiles.writeAtomically(fs, new Path(tmp, MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        if (fs.exists(target)) {
            if (!replaceExisting) {
                throw new IOException(target + " appeared while " + tmp + " was written (another writer?)");
            }
            fs.delete(target, true);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot move checkpoint " + tmp + " to " + target);
        }
        return target;
    }

    /** Whether {@code dir} holds a manifest (a complete checkpoint folder, not yet verified). */
    public static boolean isCheckpoint(FileSystem fs, Path dir) throws IOException {
        return fs.exists(new Path(dir, MANIFEST));
    }

    /** Reads a checkpoint folder, refusing any file whose SHA-256 differs from the manifest. */
    public static CheckpointStore.Checkpoint read(FileSystem fs, Path dir) throws IOException {
        Path manifestPath = new Path(dir, MANIFEST);
        if (!fs.exists(manifestPath)) {
            throw new IOException("checkpoint " + dir + " has no " + MANIFEST + " (incomplete or not a checkpoint)");
        }
        JsonNode manifest = JSON.readTree(RunFiles.read(fs, manifestPath));
        int format = manifest.path("format").asInt(0);
        if (format < FORMAT) {
            throw new UnusableCheckpointException("checkpoint " + dir + " has format " + format + " (this vaegan reads "
                    + FORMAT + "): it was trained before every batch norm got its ReLU, so its weights belong to"
                    + " another network; train a new run (another vaegan.run.name) or use the vaegan that wrote it");
        }
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
        CheckpointStore.Progress progress = new CheckpointStore.Progress(manifest.path("images").asLong(0),
                new LossConfig.Decision(gate.path("discriminator").asBoolean(true), gate.path("decoder").asBoolean(true)),
                files.has(CONFIG) ? JSON.readTree(RunFiles.read(fs, new Path(dir, CONFIG))) : null,
                manifest.get("data"), manifest.get("metrics"));
        return new CheckpointStore.Checkpoint(manifest.get("round").asLong(),
                new ModelState(params, optimizer, manifest.get("step").asLong(), ema), progress);
    }

    private static boolean reserved(String name) {
        if (Set.of(MANIFEST, CONFIG, DECODER_EMA).contains(name)) {
            return true;
        }
        for (Part p : Part.values()) {
            if (name.startsWith(p.fileName() + ".")) {
                return true;
            }
        }
        return false;
    }

    private static void writeFile(FileSystem fs, Path dir, String name, byte[] content, ObjectNode files) throws IOException {
        RunFiles.writeAtomically(fs, new Path(dir, name), content);
        files.put(name, sha256(content));
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
