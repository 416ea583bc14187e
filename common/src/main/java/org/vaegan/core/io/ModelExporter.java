package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.InvalidConfigException;
import org.vaegan.core.data.DatasetListing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Exports a run's checkpoint as the next version of a model: {@code <models-dir>/<name>/v<NNNN>/}
 * holds the checkpoint's files in {@link CheckpointFormat} (weights, RMSProp state for warm
 * starts, decoder moving average, {@code config.json}, {@code manifest.json} with every SHA-256)
 * and {@code model.json}: where it came from, the preprocessing an input needs, the data
 * description with its fingerprint and the metrics of the exported round. The checkpoint is read
 * and verified, the version is written to a temporary folder and renamed into place, and only
 * then does {@code LATEST} move. Runs and models may be on any Hadoop FileSystem.
 */
public final class ModelExporter {
    private static final Logger LOG = LoggerFactory.getLogger(ModelExporter.class);
    /** The exported version's description (provenance, preprocessing, data, metrics). */
    public static final String MODEL_JSON = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Configuration hadoop;

    public ModelExporter(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /** What an export wrote: the version folder, its name ({@code v0003}) and the round its weights are from. */
    public record Exported(Path version, String versionName, long round, Path checkpoint) {
    }

    /**
     * @param runDir     a run folder ({@code runs/NAME}, any Hadoop URI)
     * @param checkpoint null for the run's LATEST checkpoint, else a folder name under
     *                   {@code checkpoints/} ({@code round-000012}) or a round number ({@code 12})
     * @param modelsDir  the folder holding the models ({@code models})
     * @param name       the model's name, a plain folder name
     */
    public Exported export(String runDir, String checkpoint, String modelsDir, String name) throws IOException {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                || name.startsWith(".")) {
            throw new ModelPathException("a model name must be a plain folder name (no '/', not starting with '.'), got \"" + name + "\"");
        }
        Path run = new Path(runDir);
        FileSystem runFs = DatasetListing.fileSystem(run, hadoop);
        run = runFs.makeQualified(run);
        if (!runFs.exists(run)) {
            throw new ModelPathException("run folder " + run + " does not exist");
        }
        RunLayout layout = run.getParent() == null ? null : new RunLayout(run.getParent().toString(), run.getName(), hadoop);
        if (layout == null || !runFs.exists(layout.runJson()) && !runFs.exists(layout.checkpoints())) {
            throw new ModelPathException(run + " is not a run folder: it has neither run.json nor checkpoints/");
        }
        Path dir = checkpoint == null ? latest(layout) : named(layout, checkpoint);
        CheckpointStore.Checkpoint source = CheckpointFormat.read(runFs, dir);
        JsonNode runJson = runFs.exists(layout.runJson()) ? JSON.readTree(RunFiles.read(runFs, layout.runJson())) : null;

        CheckpointStore.Progress progress = source.progress();
        JsonNode config = progress.config() != null ? progress.config() : runJson == null ? null : runJson.get("config");
        if (config == null) {
            throw new ModelPathException("checkpoint " + dir + " has no config.json and " + layout.runJson()
                    + " records no \"config\": the model's settings are unknown, nothing was exported");
        }
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.loadStored(JSON.writeValueAsString(config), dir + "/" + CheckpointFormat.CONFIG);
        } catch (InvalidConfigException e) {
            throw new ModelPathException("checkpoint " + dir + ": " + e.getMessage(), e);
        }
        JsonNode data = progress.data() != null ? progress.data() : runJson == null ? null : runJson.get("data");
        JsonNode metrics = progress.metrics() != null ? progress.metrics() : metricsOf(layout, source.round());

        Path modelRoot = new Path(new Path(modelsDir), name);
        FileSystem modelFs = DatasetListing.fileSystem(modelRoot, hadoop);
        ModelLayout model = new ModelLayout(modelFs, modelFs.makeQualified(modelRoot));
        int number = model.nextNumber();
        String version = ModelLayout.versionName(number);

        ObjectNode card = JSON.createObjectNode();
        card.put("name", name);
        card.put("version", version);
        card.put("exported", Instant.now().toString());
        card.put("vaegan_version", String.valueOf(ModelExporter.class.getPackage().getImplementationVersion()));
        ObjectNode from = card.putObject("source");
        from.put("run", layout.root().toString());
        from.put("checkpoint", dir.toString());
        from.put("round", source.round());
        from.put("step", source.state().step());
        from.put("images", progress.images());
        card.set("preprocessing", JSON.readTree(loaded.renderPreprocessingJson()));
        card.set("data", data);
        card.set("metrics", metrics);

        CheckpointStore.Checkpoint exported = new CheckpointStore.Checkpoint(source.round(), source.state(),
                new CheckpointStore.Progress(progress.images(), progress.nextGate(), config, data, metrics));
        Path written = CheckpointFormat.write(modelFs, model.version(number), exported,
                Map.of(MODEL_JSON, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(card)), false);
        RunFiles.writeAtomically(modelFs, model.latestPointer(), version + "\n");
        LOG.info("exported {} (round {}) as {}", dir, source.round(), written);
        return new Exported(written, version, source.round(), dir);
    }

    private static Path latest(RunLayout layout) throws IOException {
        Path pointer = layout.latestCheckpointPointer();
        if (!layout.fs().exists(pointer)) {
            throw new ModelPathException("run " + layout.root() + " has no checkpoint to export (" + pointer + " is missing)");
        }
        return existing(layout, new Path(layout.checkpoints(), RunFiles.readText(layout.fs(), pointer).trim()));
    }

    private static Path named(RunLayout layout, String checkpoint) throws IOException {
        String name = checkpoint.matches("\\d+") ? layout.checkpoint(Long.parseLong(checkpoint)).getName() : checkpoint;
        if (name.contains("/")) {
            throw new ModelPathException("a checkpoint is named by its folder under " + layout.checkpoints()
                    + " (round-000012) or its round (12), got \"" + checkpoint + "\"");
        }
        return existing(layout, new Path(layout.checkpoints(), name));
    }

    private static Path existing(RunLayout layout, Path dir) throws IOException {
        if (!CheckpointFormat.isCheckpoint(layout.fs(), dir)) {
            StringBuilder present = new StringBuilder();
            for (Path p : new CheckpointStore(layout).roundFolders()) {
                present.append(present.length() == 0 ? "" : ", ").append(p.getName());
            }
            throw new ModelPathException("no complete checkpoint at " + dir + " (no " + CheckpointFormat.MANIFEST + "); the run has: "
                    + (present.length() == 0 ? "none" : present));
        }
        return dir;
    }

    /** The metrics.jsonl line of {@code round}, or null (checkpoints older than the manifest's metrics). */
    private static JsonNode metricsOf(RunLayout layout, long round) throws IOException {
        if (!layout.fs().exists(layout.metrics())) {
            return null;
        }
        JsonNode found = null;
        for (String line : new String(RunFiles.read(layout.fs(), layout.metrics()), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                if (node.path("round").asLong(-1) == round) {
                    found = node;
                }
            }
        }
        return found;
    }
}
