package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.io.CheckpointStore;
import org.vaegan.core.io.RunLayout;
import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.Replica;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's train command end to end on a real local Spark with two partitions. */
class TrainCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void divergenceStopsWithTheLossNamedAndKeepsTheLastCompleteRound(@TempDir Path dir) throws Exception {
        // An absurd learning rate: the first step is finite and throws the weights to ~1e30, every
        // later step is NaN. Skipped steps change nothing; the second in a row stops the run.
        List<String> sets = CliRun.with(CliRun.SMALL_MODEL, "output.dir=" + dir, "run.name=nan",
                "train.rounds=6", "spark.averaging.steps=1", "train.max-bad-steps=2",
                "optimizer.learning-rate=1e30");
        CliRun run = CliRun.train(sets);
        String stderr = run.stderr;
        assertEquals(1, run.exitCode, stderr);
        assertTrue(stderr.contains("was not finite") && stderr.contains("in 2 consecutive steps"), stderr);
        assertTrue(stderr.matches("(?s).*error: training stopped: L_[a-zA-Z]+ was not finite.*"), stderr);
        assertFalse(stderr.contains("\tat "), "a known failure needs no stack trace: " + stderr);
        // Round 2 trained nothing (its step was skipped) but completed: its metrics count the skip.
        List<String> lines = Files.readAllLines(dir.resolve("nan").resolve("metrics.jsonl"));
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertEquals(2, JSON.readTree(lines.get(1)).get("skipped_steps").asInt());
        // The last complete round is checkpointed, and it is round 1's state: nothing after it trained.
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "nan", new Configuration()));
        CheckpointStore.Checkpoint checkpoint = store.readLatest();
        assertEquals(2, checkpoint.round());
        assertEquals(1, checkpoint.state().step());
        // Neither round wrote samples or a checkpoint on its own: the report is written by the failure.
        String report = Files.readString(dir.resolve("nan").resolve("report.html"));
        assertTrue(report.contains("<th>rounds</th><td>2 of 6</td>"), "the report shows the rounds up to the failure");
    }

    @Test
    void trainLeavesARunFolderThatReadsBack(@TempDir Path dir) throws Exception {
        List<String> sets = CliRun.with(CliRun.SMALL_MODEL, "output.dir=" + dir, "run.name=it",
                "train.rounds=3", "spark.averaging.steps=2",
                "output.sample-every-rounds=2", "output.grid-size=4");
        CliRun cli = CliRun.train(sets);
        assertEquals(0, cli.exitCode, "exit code; stderr: " + cli.stderr);

        Path run = dir.resolve("it");
        // metrics.jsonl: one parseable line per round with every loss term, finite.
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            assertEquals(i + 1, line.get("round").asInt());
            assertEquals(2L * (i + 1), line.get("step").asLong());
            assertEquals(2L * 2 * 8 * (i + 1), line.get("images").asLong());
            for (String key : List.of("l_prior", "l_llike", "l_gan", "l_generator", "d_real", "d_fake", "images_per_s")) {
                assertTrue(Double.isFinite(line.get(key).asDouble()), key + " in " + lines.get(i));
            }
            assertTrue(line.get("time_s").get("round").asDouble() > 0);
        }

        // Sample grids of rounds 2 and 3 (every 2 rounds, and the last) decode as pictures.
        for (String name : List.of("round-000002.png", "round-000003.png")) {
            BufferedImage png = ImageIO.read(run.resolve("samples").resolve(name).toFile());
            assertNotNull(png, name + " does not decode");
            assertTrue(png.getWidth() > 2 * 4 * 16 && png.getHeight() >= 4 * 16, name + " is " + png.getWidth() + "x" + png.getHeight());
        }
        assertFalse(Files.exists(run.resolve("samples").resolve("round-000001.png")));

        // run.json holds the resolved config.
        JsonNode runJson = JSON.readTree(run.resolve("run.json").toFile());
        assertEquals(3, runJson.get("config").get("train").get("rounds").asInt());

        // The final checkpoint loads into a model of the same config and reads back identically.
        VaeganConfig config = ConfigLoader.load(null, sets).config();
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "it", new Configuration()));
        CheckpointStore.Checkpoint checkpoint = store.readLatest();
        assertEquals(3, checkpoint.round());
        assertEquals(6, checkpoint.state().step());
        Replica replica = new Replica(config);
        ModelState initial = replica.snapshot();
        replica.load(checkpoint.state());
        ModelState loaded = replica.snapshot();
        for (Part p : Part.values()) {
            assertArrayEquals(checkpoint.state().params(p), loaded.params(p), p + " parameters");
            assertArrayEquals(checkpoint.state().optimizer(p), loaded.optimizer(p), p + " optimizer state");
            assertFalse(Arrays.equals(initial.params(p), loaded.params(p)), p + " did not train");
        }
    }
}
