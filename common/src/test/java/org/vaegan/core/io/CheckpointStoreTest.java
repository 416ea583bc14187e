package org.vaegan.core.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.Replica;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void missingLatestIsAClearError(@TempDir java.nio.file.Path dir) {
        CheckpointStore store = new CheckpointStore(new RunLayout(dir.toString(), "run", new Configuration()));
        IOException e = assertThrows(IOException.class, store::readLatest);
        assertTrue(e.getMessage().contains("LATEST"), e.getMessage());
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
