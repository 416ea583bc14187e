package org.vaegan.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/schedule/retrain-yarn.sh as cron runs it (dry run): warm-start train on the day's partition, then export. */
class RetrainYarnScriptTest {
    private static final Path REPO = Path.of(System.getProperty("vaegan.repo", "..")).toAbsolutePath().normalize();

    @Test
    void trainsTheDaysPartitionFromTheNewestModelThenExportsTheRun(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("app.jar"), "not really a jar");
        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("deploy/schedule/retrain-yarn.sh").toString(), "2026-01-31");
        pb.environment().keySet().removeIf(k -> k.startsWith("VAEGAN_") || List.of("DATA", "RUNS", "MODELS", "MODEL_NAME").contains(k));
        pb.environment().putAll(java.util.Map.of("SPARK_HOME", dir.toString(), "HADOOP_CONF_DIR", dir.toString(),
                "VAEGAN_JAR", jar.toString(), "VAEGAN_DRY_RUN", "1", "MODELS", "hdfs:///m", "MODEL_NAME", "faces"));
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        // Two spark-submit commands, one argument a line each (deploy/yarn/submit.sh's dry run).
        String[] commands = out.split("(?=" + java.util.regex.Pattern.quote(dir.resolve("bin/spark-submit").toString()) + ")");
        assertEquals(2, commands.length, out);
        String train = String.join(" ", commands[0].strip().split("\n"));
        String export = String.join(" ", commands[1].strip().split("\n"));
        assertTrue(train.contains("--deploy-mode cluster"), train);
        assertTrue(train.endsWith(jar + " train --conf hdfs:///vaegan/conf/nightly.conf --set vaegan.run.name=nightly-2026-01-31"
                + " --set vaegan.init.from=hdfs:///m/faces --set vaegan.data.path=hdfs:///vaegan/data/faces/dt=2026-01-31"
                + " --set vaegan.output.dir=hdfs:///vaegan/runs"), train);
        assertTrue(export.contains("--deploy-mode client"), export);
        assertTrue(export.endsWith(jar + " export --run hdfs:///vaegan/runs/nightly-2026-01-31 --models-dir hdfs:///m --name faces"), export);
    }
}
