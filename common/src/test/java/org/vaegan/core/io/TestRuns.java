package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.Replica;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run folders as the trainer leaves them (run.json, metrics.jsonl, checkpoints with config, data
 * and metrics), of the tiny test model, written without Spark.
 */
public final class TestRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestRuns() {
    }

    /** A state of the tiny model (untrained weights, seeded): distinct per seed. */
    public static ModelState state(long seed, String... overrides) {
        List<String> all = new ArrayList<>(List.of(overrides));
        all.add("train.seed=" + seed);
        return new Replica(TestConfigs.tiny(all.toArray(String[]::new))).snapshot();
    }

    /**
     * Writes {@code runs/<name>/} under {@code outputDir} with one checkpoint per entry of
     * {@code states} (rounds 1, 2, ...), each recording its config (unless
     * {@code configInCheckpoints} is false), data node and metrics line.
     */
    public static RunLayout write(Path outputDir, String name, boolean configInCheckpoints, ConfigLoader.Loaded loaded,
                                  ModelState... states) throws IOException {
        RunLayout layout = new RunLayout(outputDir.toString(), name, new Configuration());
        JsonNode config = JSON.readTree(loaded.renderJson());
        ObjectNode data = JSON.createObjectNode();
        data.put("source", "synthetic");
        data.putObject("fingerprint").put("sha256", "ab".repeat(32));
        ObjectNode run = JSON.createObjectNode();
        run.put("name", name);
        run.set("config", config);
        run.set("data", data);
        Files.createDirectories(outputDir.resolve(name));
        Files.writeString(outputDir.resolve(name).resolve("run.json"), JSON.writeValueAsString(run));
        CheckpointStore store = new CheckpointStore(layout);
        StringBuilder metrics = new StringBuilder();
        for (int round = 1; round <= states.length; round++) {
            ObjectNode line = JSON.createObjectNode();
            line.put("round", round);
            line.put("l_llike", 10.0 / round);
            metrics.append(line).append('\n');
            store.write(new CheckpointStore.Checkpoint(round, states[round - 1], new CheckpointStore.Progress(
                    64L * round, LossConfig.Decision.BOTH, configInCheckpoints ? config : null, data, line)));
        }
        Files.writeString(outputDir.resolve(name).resolve("metrics.jsonl"), metrics);
        return layout;
    }
}
