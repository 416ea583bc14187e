package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vaegan.core.io.CheckpointStore;
import org.vaegan.core.io.RunFiles;
import org.vaegan.core.io.RunLayout;
import org.vaegan.spark.cli.VaeganMain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A folder of PNG and JPEG pictures on a real HDFS (MiniDFSCluster, one NameNode and one
 * DataNode in this JVM) is decoded on the executors of a local Spark, cached in HDFS and trained
 * on; the run folder and its checkpoint are written to HDFS too. A second run finds the cache.
 */
class HdfsImagesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MiniDFSCluster cluster;
    private static java.nio.file.Path base;

    @BeforeAll
    static void startHdfs() throws IOException {
        base = Files.createTempDirectory("vaegan-hdfs-it");
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
    }

    @AfterAll
    static void stopHdfs() throws IOException {
        if (cluster != null) {
            cluster.shutdown(true);
        }
        if (!Files.exists(base)) {
            return; // shutdown(true) removed it
        }
        try (var paths = Files.walk(base)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static List<String> sets(String hdfs, String runName) {
        return List.of(
                "spark.master=local[2]", "spark.partitions=2",
                "data.source=images", "data.path=" + hdfs + "/data/pictures",
                "output.dir=" + hdfs + "/runs", "run.name=" + runName,
                "train.rounds=2", "spark.averaging.steps=1", "train.batch-size=8",
                "output.sample-every-rounds=2", "output.grid-size=4",
                "model.image-size=16", "model.latent=8", "model.encoder-widths=[8, 16]", "model.encoder-fc=32",
                "model.decoder-widths=[16, 8]", "model.discriminator-widths=[8, 16, 16]", "model.discriminator-fc=16",
                "model.dis-l-layer=2");
    }

    private static void train(List<String> sets) {
        List<String> args = new ArrayList<>(List.of("train"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        System.setProperty("spark.ui.enabled", "false");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VaeganMain.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, "exit code; stderr: " + err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void picturesInHdfsTrainAndTheRunIsWrittenThere() throws Exception {
        FileSystem fs = cluster.getFileSystem();
        String hdfs = fs.getUri().toString();
        TestPictures.write(fs, new Path("/data/pictures"), 16);

        train(sets(hdfs, "first"));

        JsonNode run = JSON.readTree(RunFiles.readText(fs, new Path("/runs/first/run.json")));
        JsonNode data = run.get("data");
        assertEquals("images", data.get("source").asText());
        assertTrue(data.get("path").asText().startsWith("hdfs://"), data.toString());
        assertEquals(32, data.get("fingerprint").get("files").asInt());
        assertEquals(64, data.get("fingerprint").get("sha256").asText().length());
        assertEquals(32, data.get("images").asInt());
        assertEquals(0, data.get("bad_files").asInt());
        assertEquals("[16,16]", data.get("images_per_partition").toString());
        assertFalse(data.get("cache").get("hit").asBoolean());
        assertEquals(32, data.get("cache").get("decoded_images").asInt());
        assertTrue(data.get("cache").get("dir").asText().startsWith(hdfs + "/runs/data-cache/"), data.toString());
        assertTrue(fs.exists(new Path(data.get("cache").get("dir").asText(), "shard-00001.u8")));

        assertEquals(2, RunFiles.readText(fs, new Path("/runs/first/metrics.jsonl")).strip().split("\n").length);
        assertTrue(fs.exists(new Path("/runs/first/samples/round-000002.png")));
        // The report is written on HDFS too, pointing at the grid beside it.
        assertTrue(RunFiles.readText(fs, new Path("/runs/first/report.html")).contains("src=\"samples/round-000002.png\""));
        CheckpointStore.Checkpoint checkpoint = new CheckpointStore(new RunLayout(hdfs + "/runs", "first", fs.getConf())).readLatest();
        assertEquals(2, checkpoint.round());
        assertTrue(fs.exists(new Path("/runs/first/checkpoints/LATEST")));

        // Same data, same settings: the second run decodes nothing.
        train(sets(hdfs, "second"));
        JsonNode again = JSON.readTree(RunFiles.readText(fs, new Path("/runs/second/run.json"))).get("data");
        assertTrue(again.get("cache").get("hit").asBoolean(), again.toString());
        assertEquals(0, again.get("cache").get("decoded_images").asInt());
        assertEquals(data.get("fingerprint"), again.get("fingerprint"));
        assertEquals(data.get("cache").get("key"), again.get("cache").get("key"));
    }
}
