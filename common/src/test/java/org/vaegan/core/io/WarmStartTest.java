package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.config.ConfigLoader;
import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.Replica;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void takesTheWeightsAndOnlyOnRequestTheOptimizerState(@TempDir Path dir) throws Exception {
        ConfigLoader.Loaded loaded = TestConfigs.tinyLoaded();
        ModelState trained = withOptimizerState(TestRuns.state(7), 0.25f);
        TestRuns.write(dir, "old", true, loaded, trained);
        TrainedModel model = new ModelSource(new Configuration()).load(dir.resolve("old").toString());
        ModelState fresh = new Replica(loaded.config()).snapshot();
        JsonNode ours = JSON.readTree(loaded.renderJson());

        ModelState weightsOnly = WarmStart.state(model, fresh, ours, false);
        ModelState withOptimizer = WarmStart.state(model, fresh, ours, true);
        for (Part p : Part.values()) {
            assertArrayEquals(trained.params(p), weightsOnly.params(p), p + " parameters");
            assertArrayEquals(fresh.optimizer(p), weightsOnly.optimizer(p), p + " optimizer starts afresh");
            assertArrayEquals(trained.optimizer(p), withOptimizer.optimizer(p), p + " optimizer taken on request");
        }
        assertFalse(Arrays.equals(fresh.params(Part.ENCODER), weightsOnly.params(Part.ENCODER)), "the fixture must differ from fresh");
        assertEquals(0, weightsOnly.step(), "a new run counts its own steps");
    }

    @Test
    void aModelOfOtherShapesIsRefusedNamingTheKeys(@TempDir Path dir) throws Exception {
        TestRuns.write(dir, "old", true, TestConfigs.tinyLoaded(), TestRuns.state(7));
        TrainedModel model = new ModelSource(new Configuration()).load(dir.resolve("old").toString());
        ConfigLoader.Loaded ours = TestConfigs.tinyLoaded("model.latent=6");
        UnusableCheckpointException e = assertThrows(UnusableCheckpointException.class, () -> WarmStart.state(model,
                new Replica(ours.config()).snapshot(), JSON.readTree(ours.renderJson()), false));
        assertTrue(e.getMessage().contains("vaegan.model.latent: 4 there, 6 here"), e.getMessage());
    }

    private static ModelState withOptimizerState(ModelState s, float value) {
        int n = Part.values().length;
        float[][] params = new float[n][];
        float[][] optimizer = new float[n][];
        for (Part p : Part.values()) {
            params[p.ordinal()] = s.params(p);
            optimizer[p.ordinal()] = new float[s.optimizer(p).length];
            Arrays.fill(optimizer[p.ordinal()], value);
        }
        return new ModelState(params, optimizer, 12, s.decoderEma());
    }
}
