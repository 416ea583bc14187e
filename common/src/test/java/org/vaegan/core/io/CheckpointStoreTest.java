package org.vaegan.core.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.Replica;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {
    @Test
    void roundTripIsExactAndLatestPointsAtTheNewest(@TempDir java.nio.file.Path dir) throws Exception {
        RunLayout layout = new RunLayout(dir.toString(), "run", new Configuration());
        CheckpointStore store = new CheckpointStore(layout);
        ModelState state = trainedState();
        store.write(3, state);
        store.write(5, state);
        CheckpointStore.Checkpoint latest = store.readLatest();
        assertEquals(5, latest.round());
        assertTrue(latest.state().sameValues(state));
        assertTrue(Files.exists(dir.resolve("run/checkpoints/round-000005/manifest.json")));
        assertEquals("round-000005", Files.readString(dir.resolve("run/checkpoints/LATEST")).trim());
    }

    @Test
    void decoderMovingAverageTravelsWithTheCheckpoint(@TempDir java.nio.file.Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "run", new Configuration()));
        ModelState state = trainedState("model.decoder-ema-decay=0.9");
        assertTrue(state.decoderEma() != null, "the averaged state must carry the decoder's moving average");
        store.write(1, state);
        assertTrue(Files.exists(dir.resolve("run/checkpoints/round-000001/decoder.ema.bin")));
        assertTrue(store.readLatest().state().sameValues(state));
    }

    @Test
    void corruptFileIsRefusedWithItsPath(@TempDir java.nio.file.Path dir) throws Exception {
        RunLayout layout = new RunLayout(dir.toString(), "run", new Configuration());
        CheckpointStore store = new CheckpointStore(layout);
        Path written = store.write(1, trainedState());
        java.nio.file.Path file = dir.resolve("run/checkpoints/round-000001/decoder.params.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 3);
            raf.write(0x7f);
        }
        IOException e = assertThrows(IOException.class, () -> store.read(written));
        assertTrue(e.getMessage().contains("decoder.params.bin") && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aCheckpointOfTheNetworksWithoutReluIsRefusedWithTheReason(@TempDir java.nio.file.Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "run", new Configuration()));
        Path written = store.write(1, trainedState());
        java.nio.file.Path manifest = dir.resolve("run/checkpoints/round-000001/manifest.json");
        String text = Files.readString(manifest);
        assertTrue(text.contains("\"format\" : 3"), text);
        Files.writeString(manifest, text.replace("\"format\" : 3", "\"format\" : 2"));
        Files.deleteIfExists(dir.resolve("run/checkpoints/round-000001/.manifest.json.crc"));
        UnusableCheckpointException e = assertThrows(UnusableCheckpointException.class, () -> store.read(written));
        assertTrue(e.getMessage().contains("format 2") && e.getMessage().contains("ReLU"), e.getMessage());
    }

    @Test
    void missingLatestIsAClearError(@TempDir java.nio.file.Path dir) {
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "run", new Configuration()));
        IOException e = assertThrows(IOException.class, store::readLatest);
        assertTrue(e.getMessage().contains("LATEST"), e.getMessage());
    }

    @Test
    void aCrashBeforeTheRenameLeavesThePreviousCheckpointInCharge(@TempDir java.nio.file.Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set("fs.failrename.impl", RenameFailingFileSystem.class.getName());
        conf.setBoolean("fs.failrename.impl.disable.cache", true);
        RunLayout layout = new RunLayout("failrename://" + dir, "run", conf);
        CheckpointStore store = new CheckpointStore(layout);
        ModelState first = trainedState();
        store.write(1, first);
        RenameFailingFileSystem.failCheckpointRenames = true;
        try {
            IOException e = assertThrows(IOException.class, () -> store.write(2, trainedState("train.seed=7")));
            assertTrue(e.getMessage().contains("injected crash"), e.getMessage());
        } finally {
            RenameFailingFileSystem.failCheckpointRenames = false;
        }
        assertTrue(Files.isDirectory(dir.resolve("run/checkpoints/.round-000002.tmp")), "the half-committed files stay behind");
        assertEquals("round-000001", Files.readString(dir.resolve("run/checkpoints/LATEST")).trim());
        CheckpointStore.Checkpoint resumed = store.readNewestValid().orElseThrow();
        assertEquals(1, resumed.round());
        assertTrue(resumed.state().sameValues(first));
        // the next write of round 2 replaces the leftovers and commits
        ModelState second = trainedState("train.seed=7");
        store.write(2, second);
        assertTrue(store.readNewestValid().orElseThrow().state().sameValues(second));
        assertFalse(Files.exists(dir.resolve("run/checkpoints/.round-000002.tmp")));
    }

    @Test
    void aCorruptNewestCheckpointIsSkippedForThePreviousOne(@TempDir java.nio.file.Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "run", new Configuration()));
        ModelState first = trainedState();
        store.write(1, first);
        store.write(2, trainedState("train.seed=7"));
        flipAByte(dir.resolve("run/checkpoints/round-000002/encoder.params.bin"));
        CheckpointStore.Checkpoint newest = store.readNewestValid().orElseThrow();
        assertEquals(1, newest.round());
        assertTrue(newest.state().sameValues(first));
    }

    @Test
    void aFolderWithoutManifestIsNotACheckpoint(@TempDir java.nio.file.Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "run", new Configuration()));
        store.write(1, trainedState());
        Files.createDirectories(dir.resolve("run/checkpoints/round-000004"));
        Files.writeString(dir.resolve("run/checkpoints/round-000004/encoder.params.bin"), "half");
        assertEquals(1, store.readNewestValid().orElseThrow().round());
        assertTrue(new CheckpointStore(new RunLayout(dir.toString(), "empty", new Configuration())).readNewestValid().isEmpty());
    }

    @Test
    void progressTravelsWithTheCheckpoint(@TempDir java.nio.file.Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "run", new Configuration()));
        ObjectMapper json = new ObjectMapper();
        CheckpointStore.Progress progress = new CheckpointStore.Progress(96, new LossConfig.Decision(false, true),
                json.readTree("{\"model\": {\"latent\": 4}}"), json.readTree("{\"source\": \"synthetic\"}"),
                json.readTree("{\"l_llike\": 2.5}"));
        store.write(new CheckpointStore.Checkpoint(3, trainedState(), progress));
        CheckpointStore.Progress back = store.readLatest().progress();
        assertEquals(96, back.images());
        assertEquals(new LossConfig.Decision(false, true), back.nextGate());
        assertEquals(4, back.config().path("model").path("latent").asInt());
        assertEquals("synthetic", back.data().path("source").asText());
        assertEquals(2.5, back.metrics().path("l_llike").asDouble());
        // the config file is checksummed like the arrays
        java.nio.file.Path config = dir.resolve("run/checkpoints/round-000003/config.json");
        Files.writeString(config, Files.readString(config).replace("4", "5"));
        IOException e = assertThrows(IOException.class, store::readLatest);
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void retentionKeepsTheNewestAndTheBest(@TempDir java.nio.file.Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "run", new Configuration()));
        ObjectMapper json = new ObjectMapper();
        ModelState state = trainedState();
        double[] llike = {5, 1, 4, 3, 2};
        for (int round = 1; round <= llike.length; round++) {
            store.write(new CheckpointStore.Checkpoint(round, state, new CheckpointStore.Progress(0, LossConfig.Decision.BOTH,
                    null, null, json.readTree("{\"l_llike\": " + llike[round - 1] + "}"))));
        }
        store.retain(2, "l_llike");
        assertEquals(List.of("round-000005", "round-000004", "round-000002"),
                store.roundFolders().stream().map(Path::getName).toList());
        store.retain(1, "");
        assertEquals(List.of("round-000005"), store.roundFolders().stream().map(Path::getName).toList());
    }

    private static void flipAByte(java.nio.file.Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 3);
            int b = raf.read();
            raf.seek(raf.length() - 3);
            raf.write(b ^ 0x5a);
        }
    }

    private static ModelState trainedState(String... overrides) {
        Replica replica = new Replica(TestConfigs.tiny(overrides));
        org.vaegan.core.data.Shard shard = org.vaegan.core.data.Shard.synthetic(0, 24, 1, 8, 1);
        String[] withSteps = java.util.Arrays.copyOf(overrides, overrides.length + 1);
        withSteps[overrides.length] = "spark.averaging.steps=2";
        org.vaegan.core.train.PartitionTrainer trainer = new org.vaegan.core.train.PartitionTrainer(TestConfigs.tiny(withSteps));
        return trainer.train(replica, replica.snapshot(), shard, 1).average(2);
    }
}
