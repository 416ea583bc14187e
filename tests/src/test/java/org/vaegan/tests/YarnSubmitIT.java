package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vaegan.core.io.CheckpointStore;
import org.vaegan.core.io.RunFiles;
import org.vaegan.core.io.RunLayout;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded application jar submitted to a real YARN (MiniYARNCluster: a ResourceManager and a
 * NodeManager in this JVM, containers as separate JVMs) by deploy/yarn/submit.sh and Spark's own
 * SparkSubmit, in client and in cluster mode. The job trains on pictures in HDFS (MiniDFSCluster)
 * and writes its run folder there. Fake s3a credentials given to spark-submit must not appear in
 * any output: run.json, metrics, checkpoints, the submit output, the containers' logs.
 */
class YarnSubmitIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.nio.file.Path REPO = BuiltArtifacts.repo();
    private static final List<String> FAKE_SECRETS = List.of("FAKE-S3A-SECRET-5f2a9c", "FAKE-S3A-ACCESS-81d3e0", "FAKE-TOKEN-77b1c4");

    private static MiniDFSCluster dfs;
    private static MiniYARNCluster yarn;
    private static java.nio.file.Path base;
    private static java.nio.file.Path hadoopConfDir;
    private static java.nio.file.Path sparkHome;
    private static String hdfs;

    @BeforeAll
    static void startClusters() throws Exception {
        base = Files.createTempDirectory("vaegan-yarn-it");
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
        hdfs = dfs.getFileSystem().getUri().toString();
        conf.set("fs.defaultFS", hdfs);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 8192);
        conf.setInt(YarnConfiguration.NM_VCORES, 8);
        // ND4J's native memory is accounted by the JavaCPP caps, not by YARN's process-tree checks.
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // A build machine's disk can be fuller than YARN's default 90 % health limit.
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.maximum-am-resource-percent", 1.0f);
        yarn = new MiniYARNCluster("vaegan-yarn-it", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            assertTrue(System.nanoTime() < deadline, "the ResourceManager got no port within 60 s");
            Thread.sleep(100);
        }
        assertTrue(yarn.waitForNodeManagersToConnect(60_000), "the NodeManager did not register");
        writeClientConfiguration(yarn.getConfig());
        sparkHome = SparkDistribution.create(base, "-Xmx1g -Dorg.bytedeco.javacpp.maxbytes=1G");
        TestPictures.write(dfs.getFileSystem(), new Path("/data/pictures"), 16);
    }

    @AfterAll
    static void stopClusters() throws IOException {
        if (yarn != null) {
            yarn.stop();
        }
        if (dfs != null) {
            dfs.shutdown(true);
        }
        if (base != null && Files.exists(base)) {
            try (Stream<java.nio.file.Path> paths = Files.walk(base)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What a cluster's HADOOP_CONF_DIR holds for a client: where HDFS and the ResourceManager are. */
    private static void writeClientConfiguration(Configuration running) throws IOException {
        hadoopConfDir = Files.createDirectories(base.resolve("hadoop-conf"));
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", hdfs);
        Configuration yarnSite = new Configuration(false);
        for (Map.Entry<String, String> e : running) {
            if (e.getKey().startsWith("yarn.")) {
                yarnSite.set(e.getKey(), e.getValue());
            }
        }
        try (var out = Files.newOutputStream(hadoopConfDir.resolve("core-site.xml"))) {
            core.writeXml(out);
        }
        try (var out = Files.newOutputStream(hadoopConfDir.resolve("yarn-site.xml"))) {
            yarnSite.writeXml(out);
        }
    }

    /** The job's config as a user would write it: a tiny model on the pictures in HDFS. */
    private static String jobConfig(String runName) {
        return """
                vaegan {
                  run.name = "%s"
                  data { source = "images", path = "%s/data/pictures" }
                  output { dir = "%s/runs", sample-every-rounds = 2, grid-size = 4 }
                  train { rounds = 2, batch-size = 8 }
                  spark { partitions = 2, averaging.steps = 1 }
                  model {
                    image-size = 16, latent = 8, encoder-widths = [8, 16], encoder-fc = 32
                    decoder-widths = [16, 8], discriminator-widths = [8, 16, 16], discriminator-fc = 16
                    dis-l-layer = 2
                  }
                }
                """.formatted(runName, hdfs, hdfs);
    }

    private static SparkDistribution.Finished submit(String deployMode, String jobConf) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("deploy/yarn/submit.sh").toString(),
                "--deploy-mode", deployMode,
                // Spark's jars are on every node: nothing to upload for each application.
                "--conf", "spark.yarn.jars=local:" + BuiltArtifacts.sparkDistJars() + "/*",
                // Sized for a test machine instead of deploy/yarn/vaegan-yarn.properties' cluster nodes.
                "--conf", "spark.executor.instances=1", "--conf", "spark.executor.cores=2", "--conf", "spark.task.cpus=1",
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
                "--conf", "spark.executor.memory=768m", "--conf", "spark.executor.memoryOverhead=1g",
                "--conf", "spark.driver.memory=768m", "--conf", "spark.driver.memoryOverhead=1g",
                "--conf", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=1G -Djava.awt.headless=true",
                "--conf", "spark.driver.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=1G -Djava.awt.headless=true",
                "--conf", "spark.yarn.maxAppAttempts=1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
                // Credentials as a user passes them for s3a: they must not leak into any output.
                "--conf", "spark.hadoop.fs.s3a.secret.key=" + FAKE_SECRETS.get(0),
                "--conf", "spark.hadoop.fs.s3a.access.key=" + FAKE_SECRETS.get(1),
                "--conf", "spark.hadoop.fs.s3a.session.token=" + FAKE_SECRETS.get(2),
                "--", "train", "--conf", jobConf));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("HADOOP_CONF_DIR", hadoopConfDir.toString());
        pb.environment().put("VAEGAN_JAR", BuiltArtifacts.appJar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return SparkDistribution.run(pb, Files.createTempFile(base, "submit-" + deployMode, ".log"), 300);
    }

    private static void assertRunInHdfs(String runName) throws IOException {
        FileSystem fs = dfs.getFileSystem();
        Path run = new Path("/runs/" + runName);
        JsonNode runJson = JSON.readTree(RunFiles.readText(fs, new Path(run, "run.json")));
        assertEquals("yarn", runJson.get("spark_master").asText(), runJson.toString());
        assertTrue(runJson.get("spark_app_id").asText().startsWith("application_"), runJson.toString());
        assertTrue(runJson.get("data").get("path").asText().startsWith("hdfs://"), runJson.toString());
        assertEquals(32, runJson.get("data").get("images").asInt());
        // The settings are recorded, the credentials' values are not.
        JsonNode sparkConf = runJson.get("spark_conf");
        assertEquals("768m", sparkConf.get("spark.executor.memory").asText());
        assertTrue(sparkConf.get("spark.hadoop.fs.s3a.secret.key").asText().contains("redacted"), sparkConf.toString());

        assertEquals(2, RunFiles.readText(fs, new Path(run, "metrics.jsonl")).strip().split("\n").length);
        CheckpointStore.Checkpoint checkpoint = new CheckpointStore(new RunLayout(hdfs + "/runs", runName, fs.getConf())).readLatest();
        assertEquals(2, checkpoint.round());
        BufferedImage samples;
        try (InputStream in = fs.open(new Path(run, "samples/round-000002.png"))) {
            samples = ImageIO.read(new ByteArrayInputStream(in.readAllBytes()));
        }
        assertNotNull(samples, "samples/round-000002.png does not decode");
        assertTrue(samples.getWidth() >= 16 * 4, "a 4x4 grid of 16-pixel pictures, got width " + samples.getWidth());
    }

    /** Every file the run wrote to HDFS, the submit output and every container log: no secret in any. */
    private static void assertNoSecretIn(String runName, String submitOutput) throws IOException {
        List<String> where = new ArrayList<>();
        checkText("spark-submit output", submitOutput, where);
        FileSystem fs = dfs.getFileSystem();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(new Path("/runs/" + runName), true);
        int checked = 0;
        while (files.hasNext()) {
            Path file = files.next().getPath();
            try (InputStream in = fs.open(file)) {
                checkText(file.toString(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1), where);
            }
            checked++;
        }
        assertTrue(checked >= 5, "only " + checked + " files in the run folder");
        int logs = 0;
        try (Stream<java.nio.file.Path> paths = Files.walk(yarn.getTestWorkDir().toPath())) {
            for (java.nio.file.Path p : paths.filter(Files::isRegularFile).filter(p -> p.toString().contains("log")).toList()) {
                checkText(p.toString(), Files.readString(p, StandardCharsets.ISO_8859_1), where);
                logs++;
            }
        }
        assertTrue(logs > 0, "no container logs found under " + yarn.getTestWorkDir());
        assertTrue(where.isEmpty(), "credentials leaked into: " + where);
    }

    private static void checkText(String name, String text, List<String> where) {
        for (String secret : FAKE_SECRETS) {
            if (text.contains(secret)) {
                where.add(name);
            }
        }
    }

    @Test
    void clientModeReadsItsConfigFromHdfsAndTrainsOnYarnExecutors() throws Exception {
        FileSystem fs = dfs.getFileSystem();
        Path conf = new Path("/conf/client.conf");
        try (FSDataOutputStream out = fs.create(conf, true)) {
            out.write(jobConfig("client").getBytes(StandardCharsets.UTF_8));
        }
        SparkDistribution.Finished s = submit("client", hdfs + conf);
        assertEquals(0, s.exitCode(), "spark-submit --deploy-mode client failed:\n" + tail(s.output()));
        assertTrue(s.output().contains("run finished"), tail(s.output()));
        assertRunInHdfs("client");
        assertNoSecretIn("client", s.output());
    }

    @Test
    void clusterModeShipsALocalConfigAndRunsTheDriverInYarn() throws Exception {
        java.nio.file.Path conf = base.resolve("cluster.conf");
        Files.writeString(conf, jobConfig("cluster"));
        SparkDistribution.Finished s = submit("cluster", conf.toString());
        assertEquals(0, s.exitCode(), "spark-submit --deploy-mode cluster failed:\n" + tail(s.output()));
        assertTrue(s.output().contains("final status: SUCCEEDED"), tail(s.output()));
        assertFalse(s.output().contains("run finished"), "the driver should run in the ApplicationMaster, not in spark-submit");
        assertRunInHdfs("cluster");
        assertNoSecretIn("cluster", s.output());
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
    }
}
