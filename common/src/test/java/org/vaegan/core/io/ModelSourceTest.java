package org.vaegan.core.io;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.state.ModelState;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSourceTest {
    private final ModelSource source = new ModelSource(new Configuration());

    @Test
    void resolvesEachOfTheFourShapes(@TempDir Path dir) throws Exception {
        ModelState first = TestRuns.state(1);
        ModelState second = TestRuns.state(2);
        TestRuns.write(dir.resolve("runs"), "shapes", true, TestConfigs.tinyLoaded("model.latent=6"),
                TestRuns.state(1, "model.latent=6"), TestRuns.state(2, "model.latent=6"));
        TestRuns.write(dir.resolve("runs"), "small", true, TestConfigs.tinyLoaded(), first, second);
        ModelExporter exporter = new ModelExporter(new Configuration());
        String models = dir.resolve("models").toString();
        exporter.export(dir.resolve("runs/small").toString(), "1", models, "small");
        exporter.export(dir.resolve("runs/small").toString(), "2", models, "small");

        TrainedModel version = source.load(dir.resolve("models/small/v0001").toString());
        assertEquals(TrainedModel.Shape.EXPORTED_VERSION, version.shape());
        assertEquals(1, version.round());
        assertTrue(version.state().sameValues(first));
        assertEquals(4, version.config().model().latent());
        assertNotNull(version.card());
        assertEquals("v0001", version.card().path("version").asText());

        TrainedModel folder = source.load(dir.resolve("models/small").toString());
        assertEquals(TrainedModel.Shape.MODEL_FOLDER, folder.shape());
        assertEquals("v0002", folder.checkpoint().getName());
        assertTrue(folder.state().sameValues(second));

        TrainedModel run = source.load(dir.resolve("runs/shapes").toString());
        assertEquals(TrainedModel.Shape.RUN, run.shape());
        assertEquals(2, run.round());
        assertEquals(6, run.config().model().latent());
        assertNull(run.card());

        TrainedModel checkpoint = source.load("file:" + dir.resolve("runs/shapes/checkpoints/round-000001"));
        assertEquals(TrainedModel.Shape.CHECKPOINT, checkpoint.shape());
        assertEquals(1, checkpoint.round());
        assertEquals(6, checkpoint.config().model().latent());
    }

    @Test
    void aCheckpointWithoutItsConfigTakesTheRunJsonTwoLevelsUp(@TempDir Path dir) throws Exception {
        TestRuns.write(dir.resolve("runs"), "old", false, TestConfigs.tinyLoaded("model.latent=5"), TestRuns.state(1, "model.latent=5"));
        TrainedModel model = source.load(dir.resolve("runs/old/checkpoints/round-000001").toString());
        assertEquals(5, model.config().model().latent());
        Files.delete(dir.resolve("runs/old/run.json"));
        ModelPathException e = assertThrows(ModelPathException.class,
                () -> source.load(dir.resolve("runs/old/checkpoints/round-000001").toString()));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("run.json"), e.getMessage());
    }

    @Test
    void anythingElseIsRefusedWithThePathAndTheAcceptedShapes(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("pictures"));
        Files.writeString(dir.resolve("pictures/a.png"), "x");
        for (String path : new String[] {dir.resolve("pictures").toString(), dir.resolve("missing").toString(),
                dir.resolve("pictures/a.png").toString()}) {
            ModelPathException e = assertThrows(ModelPathException.class, () -> source.load(path));
            assertTrue(e.getMessage().contains(path), e.getMessage());
            for (String shape : new String[] {"models/NAME/v0001", "models/NAME", "runs/NAME", "runs/NAME/checkpoints/round-000012"}) {
                assertTrue(e.getMessage().contains(shape), e.getMessage());
            }
        }
        // A run that has not checkpointed yet, and a LATEST naming nothing complete.
        Files.createDirectories(dir.resolve("runs/fresh"));
        Files.writeString(dir.resolve("runs/fresh/run.json"), "{}");
        ModelPathException fresh = assertThrows(ModelPathException.class, () -> source.load(dir.resolve("runs/fresh").toString()));
        assertTrue(fresh.getMessage().contains("no checkpoint yet"), fresh.getMessage());
        Files.createDirectories(dir.resolve("models/m/v0001"));
        Files.writeString(dir.resolve("models/m/LATEST"), "v0001\n");
        ModelPathException half = assertThrows(ModelPathException.class, () -> source.load(dir.resolve("models/m").toString()));
        assertTrue(half.getMessage().contains("models/m/v0001") && half.getMessage().contains("not a complete checkpoint"), half.getMessage());
    }
}
