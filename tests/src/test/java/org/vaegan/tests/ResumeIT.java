package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resume through the Spark driver: 6 rounds in one go equal 3 rounds, a stop, and 3 more, bit for
 * bit, with the same metrics; a corrupt newest checkpoint falls back to the one before it; a
 * checkpoint of another model is refused naming the keys.
 */
class ResumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Loss, gate and counter fields that must repeat exactly (timings and memory do not). */
    private static final List<String> REPEATED = List.of("round", "step", "images", "learning_rate", "l_prior", "l_llike",
            "l_gan", "l_generator", "d_real", "d_fake", "skipped_steps", "gate");

    @TempDir
    static Path runs;
    private static ModelState sixInOneGo;

    /** Margin 0: the gate holds a group back in most rounds, so its decision must survive the stop too. */
    private static List<String> run(String name, int rounds, String... more) {
        List<String> sets = CliRun.with(CliRun.SMALL_MODEL, "output.dir=" + runs, "run.name=" + name,
                "train.rounds=" + rounds, "spark.averaging.steps=2", "loss.equilibrium-gate.margin=0",
                "checkpoint.every-rounds=1");
        return CliRun.with(sets, more);
    }

    private static void train(List<String> sets) {
        CliRun cli = CliRun.train(sets);
        assertEquals(0, cli.exitCode, cli.stderr);
    }

    @BeforeAll
    static void trainSixRoundsInOneGo() throws Exception {
        train(run("whole", 6));
        sixInOneGo = CliRun.latestCheckpoint(runs, "whole").state();
    }

    @Test
    void threeRoundsThenThreeMoreEqualSixInOneGo() throws Exception {
        train(run("split", 3));
        assertEquals(3, CliRun.latestCheckpoint(runs, "split").round());
        CliRun resumed = CliRun.train(CliRun.with(run("split", 6), "train.resume=true"));
        assertEquals(0, resumed.exitCode, resumed.stderr);
        assertSameState(sixInOneGo, CliRun.latestCheckpoint(runs, "split").state());
        assertEquals(repeatedFields("whole"), repeatedFields("split"));
        // keep-last 3: rounds 4, 5 and 6 remain
        assertEquals(List.of("round-000004", "round-000005", "round-000006"), checkpointFolders("split"));
    }

    @Test
    void aCorruptNewestCheckpointIsSkippedAndTrainingRepeatsFromThePreviousOne() throws Exception {
        train(run("corrupt", 3));
        Path newest = runs.resolve("corrupt/checkpoints/round-000003/decoder.params.bin");
        try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0x01);
        }
        CliRun resumed = CliRun.train(run("corrupt", 6));
        assertEquals(0, resumed.exitCode, resumed.stderr);
        // rounds 3..6 retrained from round 2's checkpoint give exactly the uninterrupted result
        assertSameState(sixInOneGo, CliRun.latestCheckpoint(runs, "corrupt").state());
        assertEquals(repeatedFields("whole"), repeatedFields("corrupt"));
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedNamingTheKeys() {
        train(run("foreign", 1));
        CliRun other = CliRun.train(run("foreign", 2, "model.latent=12"));
        assertEquals(2, other.exitCode, other.stderr);
        assertTrue(other.stderr.contains("vaegan.model.latent: 8 there, 12 here"), other.stderr);
        assertTrue(other.stderr.contains("round-000001"), other.stderr);
    }

    @Test
    void resumeWithoutACheckpointIsAnErrorAndAFinishedRunHasNothingToDo() throws Exception {
        CliRun nothing = CliRun.train(run("never-trained", 2, "train.resume=true"));
        assertEquals(2, nothing.exitCode, nothing.stderr);
        assertTrue(nothing.stderr.contains("vaegan.train.resume"), nothing.stderr);

        train(run("finished", 1));
        String metrics = Files.readString(runs.resolve("finished/metrics.jsonl"));
        CliRun again = CliRun.train(run("finished", 1));
        assertEquals(0, again.exitCode, again.stderr);
        assertEquals(metrics, Files.readString(runs.resolve("finished/metrics.jsonl")), "a finished run is left as it is");
    }

    private static void assertSameState(ModelState expected, ModelState actual) {
        assertEquals(expected.step(), actual.step());
        for (Part part : Part.values()) {
            assertArrayEquals(expected.params(part), actual.params(part), part + " parameters");
            assertArrayEquals(expected.optimizer(part), actual.optimizer(part), part + " RMSProp state");
        }
    }

    private static List<String> repeatedFields(String name) throws Exception {
        List<String> out = new ArrayList<>();
        for (String text : Files.readAllLines(runs.resolve(name).resolve("metrics.jsonl"))) {
            JsonNode line = JSON.readTree(text);
            StringBuilder b = new StringBuilder();
            for (String field : REPEATED) {
                b.append(field).append('=').append(line.get(field)).append(' ');
            }
            out.add(b.toString());
        }
        return out;
    }

    private static List<String> checkpointFolders(String name) throws Exception {
        try (var list = Files.list(runs.resolve(name).resolve("checkpoints"))) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("round-")).sorted().toList();
        }
    }
}
