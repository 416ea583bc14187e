package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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

/**
 * Checkpoints in ND4J's binary array format (never Java serialization): per network its flat
 * parameters and RMSProp state, plus {@code manifest.json} with the round, the step and the
 * SHA-256 of every file. Written to a temporary folder that is renamed into place; LATEST is
 * written last, so a crash leaves either the old or the new checkpoint, never half of one.
 */
public final class CheckpointStore {
    private static final String MANIFEST = "manifest.json";
    /** Moving average of the decoder's parameters, present when vaegan.model.decoder-ema-decay > 0. */
    private static final String DECODER_EMA = "decoder.ema.bin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunLayout layout;

    public CheckpointStore(RunLayout layout) {
        this.layout = layout;
    }

    /** A checkpoint as read back: the state and the round it ended. */
    public record Checkpoint(long round, ModelState state) {
    }

    public Path write(long round, ModelState state) throws IOException {
        FileSystem fs = layout.fs();
        Path target = layout.checkpoint(round);
        Path tmp = new Path(layout.checkpoints(), "." + target.getName() + ".tmp");
        if (fs.exists(tmp)) {
            fs.delete(tmp, true);
        }
        fs.mkdirs(tmp);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", 1);
        manifest.put("round", round);
        manifest.put("step", state.step());
        ObjectNode files = manifest.putObject("files");
        for (Part p : Part.values()) {
            writeArray(fs, tmp, p.fileName() + ".params.bin", state.params(p), files);
            writeArray(fs, tmp, p.fileName() + ".rmsprop.bin", state.optimizer(p), files);
        }
        if (state.decoderEma() != null) {
            writeArray(fs, tmp, DECODER_EMA, state.decoderEma(), files);
        }
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

    /** Reads a checkpoint folder, refusing any file whose SHA-256 differs from the manifest. */
    public Checkpoint read(Path dir) throws IOException {
        FileSystem fs = layout.fs();
        Path manifestPath = new Path(dir, MANIFEST);
        if (!fs.exists(manifestPath)) {
            throw new IOException("checkpoint " + dir + " has no " + MANIFEST + " (incomplete or not a checkpoint)");
        }
        ObjectNode manifest = (ObjectNode) JSON.readTree(RunFiles.read(fs, manifestPath));
        ObjectNode files = (ObjectNode) manifest.get("files");
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
        return new Checkpoint(manifest.get("round").asLong(),
                new ModelState(params, optimizer, manifest.get("step").asLong(), ema));
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
