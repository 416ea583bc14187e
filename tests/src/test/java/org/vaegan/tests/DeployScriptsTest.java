package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell scripts of deploy/ as a user runs them: the GPU discovery script and the YARN submit script's command line. */
class DeployScriptsTest {
    private static final Path REPO = Path.of(System.getProperty("vaegan.repo", "..")).toAbsolutePath().normalize();

    private record Ran(int exitCode, String stdout, String stderr) {
    }

    private static Ran run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("VAEGAN_") || k.equals("HADOOP_CONF_DIR") || k.equals("YARN_CONF_DIR"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "script still running after 30 s: " + List.of(cmd));
        return new Ran(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void gpuDiscoveryPrintsTheGpusNvidiaSmiListsInSparksFormat(@TempDir Path dir) throws Exception {
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\nprintf '0\\n1\\n3\\n'\n");
        assertTrue(smi.toFile().setExecutable(true));
        Ran ran = run(Map.of("PATH", dir + ":/usr/bin:/bin"), "bash", REPO.resolve("deploy/gpu/getGpusResources.sh").toString());
        assertEquals(0, ran.exitCode(), ran.stderr());
        JsonNode json = new ObjectMapper().readTree(ran.stdout());
        assertEquals("gpu", json.get("name").asText());
        assertEquals("[\"0\",\"1\",\"3\"]", json.get("addresses").toString());
    }

    @Test
    void gpuDiscoveryFailsLoudlyWithoutNvidiaSmi(@TempDir Path dir) throws Exception {
        Ran ran = run(Map.of("PATH", dir + ":/usr/bin:/bin"), "bash", REPO.resolve("deploy/gpu/getGpusResources.sh").toString());
        assertEquals(1, ran.exitCode(), ran.stdout());
        assertTrue(ran.stderr().contains("nvidia-smi not found"), ran.stderr());
    }

    private static Map<String, String> yarnEnv(Path dir) throws IOException {
        Path jar = Files.writeString(dir.resolve("app.jar"), "not really a jar");
        return Map.of("SPARK_HOME", dir.toString(), "HADOOP_CONF_DIR", dir.toString(), "VAEGAN_JAR", jar.toString(),
                "VAEGAN_DRY_RUN", "1");
    }

    @Test
    void yarnClusterModeShipsTheLocalConfigAndTheGpuScriptAndLetsCommandLineOptionsWin(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("my.conf"), "vaegan {}");
        Map<String, String> env = new java.util.HashMap<>(yarnEnv(dir));
        env.put("VAEGAN_GPUS", "2");
        Ran ran = run(env, "bash", REPO.resolve("deploy/yarn/submit.sh").toString(),
                "--num-executors", "8", "--", "train", "--conf", conf.toString(), "--set", "vaegan.spark.partitions=8");
        assertEquals(0, ran.exitCode(), ran.stderr());
        List<String> words = List.of(ran.stdout().strip().split("\n"));
        String line = String.join(" ", words);
        assertEquals(dir.resolve("bin/spark-submit").toString(), words.get(0));
        assertTrue(line.contains("--master yarn --deploy-mode cluster"), line);
        assertTrue(line.contains("--properties-file " + REPO.resolve("deploy/yarn/vaegan-yarn.properties")), line);
        assertTrue(words.contains("spark.executor.resource.gpu.amount=2"), ran.stdout());
        assertTrue(words.contains("spark.executor.resource.gpu.discoveryScript=./getGpusResources.sh"), ran.stdout());
        int files = words.indexOf("--files");
        assertEquals(conf + "," + REPO.resolve("deploy/gpu/getGpusResources.sh"), words.get(files + 1));
        // spark-submit options come after the defaults, the job's after the jar; the config by its shipped name.
        int jar = words.indexOf(dir.resolve("app.jar").toString());
        assertTrue(words.indexOf("--num-executors") > words.indexOf("--properties-file") && words.indexOf("--num-executors") < jar, ran.stdout());
        assertEquals(List.of("train", "--conf", "my.conf", "--set", "vaegan.spark.partitions=8"), words.subList(jar + 1, words.size()));
    }

    @Test
    void yarnClientModeAndRemoteConfigsKeepTheirPaths(@TempDir Path dir) throws Exception {
        Ran ran = run(yarnEnv(dir), "bash", REPO.resolve("deploy/yarn/submit.sh").toString(),
                "--deploy-mode", "client", "--", "train", "--conf", "hdfs:///conf/my.conf");
        assertEquals(0, ran.exitCode(), ran.stderr());
        assertTrue(String.join(" ", ran.stdout().strip().split("\n")).endsWith("train --conf hdfs:///conf/my.conf"), ran.stdout());
        assertFalse(ran.stdout().contains("--files"), ran.stdout());
    }

    @Test
    void yarnSubmitNamesWhatIsMissing(@TempDir Path dir) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(yarnEnv(dir));
        env.remove("HADOOP_CONF_DIR");
        Ran noConf = run(env, "bash", REPO.resolve("deploy/yarn/submit.sh").toString(), "--", "train");
        assertEquals(2, noConf.exitCode());
        assertTrue(noConf.stderr().contains("HADOOP_CONF_DIR"), noConf.stderr());

        Ran noFile = run(yarnEnv(dir), "bash", REPO.resolve("deploy/yarn/submit.sh").toString(), "--", "train", "--conf", dir.resolve("missing.conf").toString());
        assertEquals(2, noFile.exitCode());
        assertTrue(noFile.stderr().contains("missing.conf: no such file"), noFile.stderr());
    }
}
