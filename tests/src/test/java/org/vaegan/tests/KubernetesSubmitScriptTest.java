package org.vaegan.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/k8s/submit.sh's command line (--dry-run): the job's --conf as the driver pod can read it, and what is missing. */
class KubernetesSubmitScriptTest {
    private static final Path REPO = Path.of(System.getProperty("vaegan.repo", "..")).toAbsolutePath().normalize();

    private record Ran(int exitCode, List<String> words, String stderr) {
    }

    private static Ran dryRun(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", REPO.resolve("deploy/k8s/submit.sh").toString(), "--dry-run"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("VAEGAN_") || k.equals("K8S_API") || k.equals("SPARK_HOME"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "submit.sh still running after 30 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(p.exitValue(), out.isBlank() ? List.of() : List.of(out.strip().split("\n")),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Map<String, String> env(Path dir) {
        return new HashMap<>(Map.of("SPARK_HOME", dir.toString(), "K8S_API", "https://10.0.0.1:6443"));
    }

    @Test
    void aConfUnderConfIsTheImagesCopyAndRemoteConfsStayAsGiven(@TempDir Path dir) throws Exception {
        Ran ran = dryRun(env(dir), "--conf", "spark.executor.instances=8", "--", "train", "--conf", "conf/kubernetes.conf",
                "--set", "vaegan.spark.partitions=8");
        assertEquals(0, ran.exitCode(), ran.stderr());
        List<String> w = ran.words();
        assertEquals(dir.resolve("bin/spark-submit").toString(), w.get(0));
        assertEquals("k8s://https://10.0.0.1:6443", w.get(w.indexOf("--master") + 1));
        assertEquals("cluster", w.get(w.indexOf("--deploy-mode") + 1));
        int jar = w.indexOf("local:///opt/vaegan/vaegan-spark-job.jar");
        assertEquals(List.of("train", "--conf", "/opt/vaegan/conf/kubernetes.conf", "--set", "vaegan.spark.partitions=8"),
                w.subList(jar + 1, w.size()));
        // The user's spark-submit options come after the script's, so they win.
        assertTrue(w.lastIndexOf("spark.executor.instances=8") > w.indexOf("--properties-file") && w.lastIndexOf("spark.executor.instances=8") < jar);
        assertFalse(w.stream().anyMatch(s -> s.startsWith("spark.executor.resource.gpu")), "no GPUs unless asked for");

        Ran remote = dryRun(env(dir), "--", "train", "--conf", "s3a://bucket/conf/my.conf");
        assertEquals(0, remote.exitCode(), remote.stderr());
        assertEquals("s3a://bucket/conf/my.conf", remote.words().get(remote.words().size() - 1));
    }

    @Test
    void aLocalConfTheDriverPodCannotReadIsRefused(@TempDir Path dir) throws Exception {
        Ran ran = dryRun(env(dir), "--", "train", "--conf", "my.conf");
        assertEquals(2, ran.exitCode());
        assertTrue(ran.stderr().contains("--conf my.conf: the driver runs in a pod"), ran.stderr());
        assertTrue(ran.words().isEmpty());
    }

    @Test
    void missingSettingsAreNamed(@TempDir Path dir) throws Exception {
        Map<String, String> noApi = env(dir);
        noApi.remove("K8S_API");
        Ran ran = dryRun(noApi, "--", "train");
        assertFalse(ran.exitCode() == 0);
        assertTrue(ran.stderr().contains("K8S_API"), ran.stderr());
    }
}
