package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.InvalidConfigException;
import org.vaegan.core.data.DatasetListing;

import java.io.IOException;

/**
 * Resolves a path on any Hadoop FileSystem to a trained model (its config and verified state). It
 * accepts four shapes: an exported version ({@code models/NAME/v0001}), a model folder
 * ({@code models/NAME}, whose LATEST names the version), a run folder ({@code runs/NAME}, whose
 * {@code checkpoints/LATEST} names the checkpoint) and a checkpoint folder
 * ({@code runs/NAME/checkpoints/round-000012}). The config is the checkpoint's own
 * {@code config.json}, or for checkpoints without one the run's {@code run.json} two levels up.
 */
public final class ModelSource {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSource.class);
    static final String SHAPES = "an exported version (models/NAME/v0001), a model folder with LATEST (models/NAME),"
            + " a run folder (runs/NAME) or a checkpoint folder (runs/NAME/checkpoints/round-000012)";
    private static final String RUN_JSON = "run.json";
    private static final String CHECKPOINTS = "checkpoints";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Configuration hadoop;

    public ModelSource(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /**
     * @throws ModelPathException when the path holds none of the four shapes, its pointer names
     *                            nothing complete, or its config is missing or invalid
     * @throws IOException        when a file cannot be read or fails its SHA-256
     */
    public TrainedModel load(String location) throws IOException {
        Path path = new Path(location);
        FileSystem fs = DatasetListing.fileSystem(path, hadoop);
        path = fs.makeQualified(path);
        if (!fs.exists(path)) {
            throw new ModelPathException("no model at " + path + ": the path does not exist; give " + SHAPES);
        }
        if (!fs.getFileStatus(path).isDirectory()) {
            throw new ModelPathException("no model at " + path + ": it is a file; give " + SHAPES);
        }
        TrainedModel.Shape shape;
        Path dir;
        if (CheckpointFormat.isCheckpoint(fs, path)) {
            dir = path;
            shape = fs.exists(new Path(dir, ModelExporter.MODEL_JSON)) ? TrainedModel.Shape.EXPORTED_VERSION : TrainedModel.Shape.CHECKPOINT;
        } else if (fs.exists(new Path(path, ModelLayout.LATEST))) {
            dir = follow(fs, path);
            shape = TrainedModel.Shape.MODEL_FOLDER;
        } else if (fs.exists(new Path(path, RUN_JSON)) || fs.exists(new Path(path, CHECKPOINTS))) {
            Path checkpoints = new Path(path, CHECKPOINTS);
            if (!fs.exists(new Path(checkpoints, ModelLayout.LATEST))) {
                throw new ModelPathException("run folder " + path + " has no checkpoint yet (" + new Path(checkpoints, ModelLayout.LATEST)
                        + " is missing)");
            }
            dir = follow(fs, checkpoints);
            shape = TrainedModel.Shape.RUN;
        } else {
            throw new ModelPathException("no model at " + path + ": it holds no " + CheckpointFormat.MANIFEST + ", " + ModelLayout.LATEST
                    + ", " + RUN_JSON + " or " + CHECKPOINTS + "/; give " + SHAPES);
        }
        CheckpointStore.Checkpoint checkpoint = CheckpointFormat.read(fs, dir);
        ConfigLoader.Loaded config = config(fs, dir, checkpoint);
        Path cardPath = new Path(dir, ModelExporter.MODEL_JSON);
        JsonNode card = fs.exists(cardPath) ? JSON.readTree(RunFiles.read(fs, cardPath)) : null;
        LOG.info("model {}: {} of round {} ({})", path, dir, checkpoint.round(), shape);
        return new TrainedModel(path, shape, dir, checkpoint.round(), config.config(), checkpoint.state(), card,
                JSON.readTree(config.renderJson()));
    }

    /** The checkpoint folder that {@code folder/LATEST} names. */
    private static Path follow(FileSystem fs, Path folder) throws IOException {
        Path pointer = new Path(folder, ModelLayout.LATEST);
        String name = RunFiles.readText(fs, pointer).trim();
        if (name.isEmpty() || name.contains("/")) {
            throw new ModelPathException(pointer + " should name a folder beside it, but holds \"" + name + "\"");
        }
        Path dir = new Path(folder, name);
        if (!CheckpointFormat.isCheckpoint(fs, dir)) {
            throw new ModelPathException(pointer + " names " + dir + ", which is not a complete checkpoint (no "
                    + CheckpointFormat.MANIFEST + ")");
        }
        return dir;
    }

    private static ConfigLoader.Loaded config(FileSystem fs, Path dir, CheckpointStore.Checkpoint checkpoint) throws IOException {
        String json;
        String origin;
        if (checkpoint.progress().config() != null) {
            json = JSON.writeValueAsString(checkpoint.progress().config());
            origin = new Path(dir, CheckpointFormat.CONFIG).toString();
        } else {
            Path run = dir.getParent() == null || dir.getParent().getParent() == null ? null
                    : new Path(dir.getParent().getParent(), RUN_JSON);
            JsonNode stored = run != null && fs.exists(run) ? JSON.readTree(RunFiles.read(fs, run)).get("config") : null;
            if (stored == null) {
                throw new ModelPathException("checkpoint " + dir + " has no " + CheckpointFormat.CONFIG + " and no run.json two levels up"
                        + " records a \"config\": the model's settings are unknown");
            }
            json = JSON.writeValueAsString(stored);
            origin = run + " (\"config\")";
        }
        try {
            return ConfigLoader.loadStored(json, origin);
        } catch (InvalidConfigException e) {
            throw new ModelPathException("model checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }
}
