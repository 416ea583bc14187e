package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.data.Shard;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.PartialUpdate;
import org.vaegan.core.train.PartitionTrainer;
import org.vaegan.core.train.Replica;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round protocol on real local Spark: determinism, task failure, the global gate. */
class DistributedTrainingIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Margin 0: the gate holds one group back in almost every round, so decisions matter. */
    private static List<String> run(Path dir, String name, String... more) {
        List<String> sets = CliRun.with(CliRun.SMALL_MODEL, "output.dir=" + dir, "run.name=" + name,
                "train.rounds=4", "spark.averaging.steps=2", "loss.equilibrium-gate.margin=0");
        return CliRun.with(sets, more);
    }

    private static ModelState trained(Path dir, List<String> sets, String name) throws Exception {
        CliRun cli = CliRun.train(sets);
        assertEquals(0, cli.exitCode, cli.stderr);
        return CliRun.latestCheckpoint(dir, name).state();
    }

    @Test
    void sameConfigGivesBitIdenticalParametersAndOneGateDecisionPerRound(@TempDir Path dir) throws Exception {
        ModelState first = trained(dir, run(dir, "a"), "a");
        ModelState second = trained(dir, run(dir, "b"), "b");
        assertTrue(first.sameValues(second), "two runs of one config differ");

        // Every partition took the driver's decision in every step of a round, and the decision
        // came from the previous round's scores pooled over all partitions.
        LossConfig.EquilibriumGate gate = ConfigLoader.load(null, run(dir, "a")).config().loss().gate();
        List<String> lines = Files.readAllLines(dir.resolve("a").resolve("metrics.jsonl"));
        int held = 0;
        JsonNode previous = null;
        for (String text : lines) {
            JsonNode line = JSON.readTree(text);
            JsonNode g = line.get("gate");
            boolean dis = g.get("discriminator_updated").asBoolean();
            boolean dec = g.get("decoder_updated").asBoolean();
            LossConfig.Decision expected = previous == null ? LossConfig.Decision.BOTH
                    : gate.decide(previous.get("d_real").asDouble(), previous.get("d_fake").asDouble());
            assertEquals(expected, new LossConfig.Decision(dis, dec), text);
            int stepsOfAllPartitions = 2 * 2;
            assertEquals(dis ? 0 : stepsOfAllPartitions, g.get("discriminator_skipped").asInt(), text);
            assertEquals(dec ? 0 : stepsOfAllPartitions, g.get("decoder_skipped").asInt(), text);
            held += (dis ? 0 : 1) + (dec ? 0 : 1);
            assertTrue(line.get("time_s").get("straggler_ratio").asDouble() >= 1.0, text);
            assertTrue(line.get("traffic_mib").get("partition_results").asDouble() > 0, text);
            // Replicas are built once per executor JVM (here: one per task slot) and then reused.
            assertEquals(previous == null ? 2 : 0, line.get("replicas_built").asInt(), text);
            previous = line;
        }
        assertTrue(held > 0, "the gate never held a group back: the check above proved nothing\n" + lines);
    }

    @Test
    void aTaskThatFailsMidRoundIsRetriedToTheSameResult(@TempDir Path dir) throws Exception {
        ModelState clean = trained(dir, run(dir, "clean", "spark.master=local[2,2]"), "clean");
        List<String> faulty = run(dir, "faulty", "spark.master=local[2,2]", "spark.fault-injection.fail-first-attempt-in-round=2");
        CliRun cli = CliRun.train(faulty);
        assertEquals(0, cli.exitCode, cli.stderr);
        assertTrue(CliRun.latestCheckpoint(dir, "faulty").state().sameValues(clean), "a retried task changed the result");
    }

    @Test
    void aFailureBeyondSparksRetriesStopsTheJobAndKeepsTheLastRound(@TempDir Path dir) throws Exception {
        // local[2] allows no retry: the injected failure ends the job after round 1.
        CliRun cli = CliRun.train(run(dir, "dead", "spark.fault-injection.fail-first-attempt-in-round=2"));
        assertEquals(1, cli.exitCode);
        assertTrue(cli.stderr.contains("injected failure of partition 0, round 2"), cli.stderr);
        assertEquals(1, CliRun.latestCheckpoint(dir, "dead").round());
    }

    @Test
    void onePartitionOnSparkEqualsTheSingleJvmTrainer(@TempDir Path dir) throws Exception {
        List<String> sets = run(dir, "one", "spark.partitions=1");
        ModelState onSpark = trained(dir, sets, "one");

        VaeganConfig config = ConfigLoader.load(null, sets).config();
        Replica replica = new Replica(config);
        PartitionTrainer trainer = new PartitionTrainer(config);
        Shard shard = Shard.synthetic(0, config.data().syntheticImagesPerPartition(), config.model().channels(),
                config.model().imageSize(), config.train().seed());
        ModelState state = replica.snapshot();
        LossConfig.Decision gate = LossConfig.Decision.BOTH;
        for (int round = 1; round <= config.train().rounds(); round++) {
            PartialUpdate update = trainer.train(replica, state, shard, round, gate);
            state = update.average(state.step() + config.spark().averagingSteps());
            gate = replica.gateDecision(update.meanLosses());
        }
        assertTrue(onSpark.sameValues(state), "Spark with one partition differs from the plain loop");
    }
}
