package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scheduled retraining: a model trained and exported, then a new run on other data that starts
 * from it with {@code init.from}. The new run's first round starts where the old model ended
 * (its losses are the old model's, not those of random weights); bad or foreign models are
 * refused naming the key.
 */
class WarmStartIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> run(Path dir, String name, int rounds, String... more) {
        return CliRun.with(CliRun.with(CliRun.SMALL_MODEL, "output.dir=" + dir.resolve("runs"), "run.name=" + name,
                "train.rounds=" + rounds, "spark.averaging.steps=2"), more);
    }

    @Test
    void aNewRunStartsFromTheExportedModel(@TempDir Path dir) throws Exception {
        assertEquals(0, CliRun.train(run(dir, "monday", 6)).exitCode);
        CliRun export = CliRun.run("export", "--run", dir.resolve("runs/monday").toString(),
                "--models-dir", dir.resolve("models").toString(), "--name", "shapes");
        assertEquals(0, export.exitCode, export.stderr);

        // Tuesday: other images (another seed), from Monday's model or from random weights.
        String models = dir.resolve("models/shapes").toString();
        CliRun warm = CliRun.train(run(dir, "tuesday", 1, "train.seed=7", "init.from=" + models));
        assertEquals(0, warm.exitCode, warm.stderr);
        assertEquals(0, CliRun.train(run(dir, "tuesday-cold", 1, "train.seed=7")).exitCode);

        double mondayEnd = line(dir, "monday", 6).get("l_prior").asDouble();
        double warmStart = line(dir, "tuesday", 1).get("l_prior").asDouble();
        double coldStart = line(dir, "tuesday-cold", 1).get("l_prior").asDouble();
        System.out.printf("L_prior: Monday's last round %.4g, Tuesday from Monday's model %.4g, from random weights %.4g%n",
                mondayEnd, warmStart, coldStart);
        assertNotEquals(coldStart, warmStart, "init.from changed nothing");
        assertTrue(Math.abs(warmStart - mondayEnd) < Math.abs(coldStart - mondayEnd),
                "the warm start is not closer to where Monday ended than a cold start");
        assertEquals(models, JSON.readTree(Files.readString(dir.resolve("runs/tuesday/run.json")))
                .path("config").path("init").path("from").asText(), "run.json records where the run started from");
        // the warm-started run counts its own steps and rounds
        assertEquals(2, line(dir, "tuesday", 1).get("step").asInt());
    }

    @Test
    void aMissingOrForeignModelIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.train(run(dir, "x", 1, "init.from=" + dir.resolve("no-such-model")));
        assertEquals(2, missing.exitCode, missing.stderr);
        assertTrue(missing.stderr.contains("vaegan.init.from") && missing.stderr.contains("no-such-model"), missing.stderr);

        assertEquals(0, CliRun.train(run(dir, "small", 1)).exitCode);
        CliRun foreign = CliRun.train(run(dir, "y", 1, "model.latent=12", "init.from=" + dir.resolve("runs/small")));
        assertEquals(2, foreign.exitCode, foreign.stderr);
        assertTrue(foreign.stderr.contains("vaegan.model.latent: 8 there, 12 here"), foreign.stderr);
    }

    private static JsonNode line(Path dir, String run, int round) throws Exception {
        for (String text : Files.readAllLines(dir.resolve("runs").resolve(run).resolve("metrics.jsonl"))) {
            JsonNode line = JSON.readTree(text);
            if (line.get("round").asInt() == round) {
                return line;
            }
        }
        throw new AssertionError("no round " + round + " in " + run);
    }
}
