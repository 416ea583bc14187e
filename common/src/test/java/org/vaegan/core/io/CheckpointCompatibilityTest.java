package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.config.LossConfig;
import org.vaegan.core.train.Replica;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointCompatibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = new Path("file:/runs/x/checkpoints/round-000003");

    @Test
    void aCheckpointOfAnotherLatentSizeIsRefusedNamingTheKey() throws Exception {
        ConfigLoader.Loaded theirs = tiny("model.latent=4");
        ConfigLoader.Loaded ours = tiny("model.latent=6");
        UnusableCheckpointException e = assertThrows(UnusableCheckpointException.class,
                () -> CheckpointCompatibility.check(DIR, checkpointOf(theirs), new Replica(ours.config()).snapshot(), json(ours)));
        assertTrue(e.getMessage().contains("vaegan.model.latent: 4 there, 6 here"), e.getMessage());
        assertTrue(e.getMessage().contains(DIR.toString()), e.getMessage());
        assertTrue(!e.getMessage().contains("vaegan.model.channels"), "only differing keys are named: " + e.getMessage());
    }

    @Test
    void settingsThatKeepTheShapesAreAccepted() throws Exception {
        ConfigLoader.Loaded theirs = tiny("model.logvar-clamp=10");
        ConfigLoader.Loaded ours = tiny("model.logvar-clamp=5", "optimizer.learning-rate=0.001");
        assertDoesNotThrow(() -> CheckpointCompatibility.check(DIR, checkpointOf(theirs), new Replica(ours.config()).snapshot(), json(ours)));
    }

    @Test
    void aDecoderMovingAverageThatOnlyOneSideHasIsRefused() throws Exception {
        ConfigLoader.Loaded theirs = tiny();
        ConfigLoader.Loaded ours = tiny("model.decoder-ema-decay=0.99");
        UnusableCheckpointException e = assertThrows(UnusableCheckpointException.class,
                () -> CheckpointCompatibility.check(DIR, checkpointOf(theirs), new Replica(ours.config()).snapshot(), json(ours)));
        assertTrue(e.getMessage().contains("vaegan.model.decoder-ema-decay"), e.getMessage());
    }

    private static CheckpointStore.Checkpoint checkpointOf(ConfigLoader.Loaded loaded) throws Exception {
        return new CheckpointStore.Checkpoint(3, new Replica(loaded.config()).snapshot(),
                new CheckpointStore.Progress(0, LossConfig.Decision.BOTH, json(loaded), null, null));
    }

    private static JsonNode json(ConfigLoader.Loaded loaded) throws Exception {
        return JSON.readTree(loaded.renderJson());
    }

    private static ConfigLoader.Loaded tiny(String... more) {
        return TestConfigs.tinyLoaded(more);
    }
}
