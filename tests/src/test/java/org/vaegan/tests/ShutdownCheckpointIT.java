package org.vaegan.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.io.CheckpointStore;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A driver JVM stopped by SIGTERM (what YARN, Kubernetes and Ctrl-C send) in the middle of a long
 * run with no periodic checkpoints leaves a checkpoint of its last complete round, and the run
 * resumes from it.
 */
class ShutdownCheckpointIT {
    @Test
    void sigtermWritesTheLastCompleteRound(@TempDir Path dir) throws Exception {
        List<String> sets = CliRun.with(CliRun.SMALL_MODEL, "output.dir=" + dir, "run.name=stopped",
                "train.rounds=1000", "checkpoint.every-rounds=0", "output.sample-every-rounds=1000");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
        command.addAll(List.of("-Dspark.ui.enabled=false", "-cp", System.getProperty("java.class.path"),
                "org.vaegan.spark.cli.VaeganMain", "train"));
        for (String s : sets) {
            command.addAll(List.of("--set", s));
        }
        File log = dir.resolve("driver.log").toFile();
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        Path metrics = dir.resolve("stopped/metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (rounds(metrics) < 2) {
            assertTrue(driver.isAlive(), "the driver ended early: " + Files.readString(log.toPath()));
            assertTrue(System.nanoTime() < deadline, "no 2 rounds within 180 s: " + Files.readString(log.toPath()));
            Thread.sleep(200);
        }
        int completeBeforeStop = rounds(metrics);
        driver.destroy(); // SIGTERM
        assertTrue(driver.waitFor(120, TimeUnit.SECONDS), "the driver did not stop after SIGTERM");
        String output = Files.readString(log.toPath());

        CheckpointStore.Checkpoint kept = CliRun.latestCheckpoint(dir, "stopped");
        assertTrue(kept.round() >= completeBeforeStop, "checkpoint of round " + kept.round() + ", but "
                + completeBeforeStop + " rounds had finished: " + output);
        // the main thread may finish a round while the hook writes: at most the rounds logged
        assertTrue(kept.round() <= rounds(metrics), "checkpoint of round " + kept.round() + " beyond the metrics");
        assertTrue(output.contains("shutting down before the run ended"), output);

        CliRun resumed = CliRun.train(CliRun.with(sets, "train.rounds=" + (kept.round() + 1), "train.resume=true"));
        assertEquals(0, resumed.exitCode, resumed.stderr);
        assertEquals(kept.round() + 1, CliRun.latestCheckpoint(dir, "stopped").round());
    }

    private static int rounds(Path metrics) throws Exception {
        return Files.exists(metrics) ? (int) Files.readAllLines(metrics).stream().filter(l -> !l.isBlank()).count() : 0;
    }
}
