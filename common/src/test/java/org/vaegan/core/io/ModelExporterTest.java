package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.TestConfigs;
import org.vaegan.core.state.ModelState;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelExporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void exportsNumberedVersionsAndMovesLatest(@TempDir Path dir) throws Exception {
        ModelState first = TestRuns.state(1);
        ModelState second = TestRuns.state(2);
        TestRuns.write(dir.resolve("runs"), "shapes", true, TestConfigs.tinyLoaded(), first, second);
        ModelExporter exporter = new ModelExporter(new Configuration());
        String models = dir.resolve("models").toString();

        ModelExporter.Exported v1 = exporter.export(dir.resolve("runs/shapes").toString(), null, models, "shapes");
        assertEquals("v0001", v1.versionName());
        assertEquals(2, v1.round());
        assertEquals("v0001", Files.readString(dir.resolve("models/shapes/LATEST")).trim());
        ModelExporter.Exported v2 = exporter.export(dir.resolve("runs/shapes").toString(), "1", models, "shapes");
        assertEquals("v0002", v2.versionName());
        assertEquals(1, v2.round());
        assertEquals("v0002", Files.readString(dir.resolve("models/shapes/LATEST")).trim());

        Path version = dir.resolve("models/shapes/v0001");
        for (String file : new String[] {"manifest.json", "config.json", "model.json", "encoder.params.bin", "encoder.rmsprop.bin",
                "decoder.params.bin", "dis-features.params.bin", "dis-head.params.bin"}) {
            assertTrue(Files.isRegularFile(version.resolve(file)), file);
        }
        assertFalse(Files.exists(dir.resolve("models/shapes/.v0001.tmp")));
        // The version is a checkpoint: the same reader verifies and reads it, weights exactly as trained.
        CheckpointStore.Checkpoint back = CheckpointFormat.read(new RunLayout(dir.toString(), "x", new Configuration()).fs(),
                new org.apache.hadoop.fs.Path(version.toUri()));
        assertTrue(back.state().sameValues(second));
        JsonNode manifest = JSON.readTree(version.resolve("manifest.json").toFile());
        assertEquals(64, manifest.path("files").path("model.json").asText().length(), "model.json is checksummed too");

        JsonNode card = JSON.readTree(version.resolve("model.json").toFile());
        assertEquals("shapes", card.path("name").asText());
        assertEquals("v0001", card.path("version").asText());
        assertEquals(2, card.path("source").path("round").asInt());
        assertTrue(card.path("source").path("checkpoint").asText().endsWith("runs/shapes/checkpoints/round-000002"));
        assertEquals(8, card.path("preprocessing").path("image-size").asInt());
        assertEquals(1, card.path("preprocessing").path("channels").asInt());
        assertEquals("centre", card.path("preprocessing").path("preprocess").path("crop").asText());
        assertEquals("ab".repeat(32), card.path("data").path("fingerprint").path("sha256").asText());
        assertEquals(5.0, card.path("metrics").path("l_llike").asDouble());
        assertEquals(10.0, JSON.readTree(dir.resolve("models/shapes/v0002/model.json").toFile()).path("metrics").path("l_llike").asDouble());
        assertEquals(4, JSON.readTree(version.resolve("config.json").toFile()).path("model").path("latent").asInt());
    }

    @Test
    void aCorruptedExportIsRefusedWithTheFileNamed(@TempDir Path dir) throws Exception {
        TestRuns.write(dir.resolve("runs"), "shapes", true, TestConfigs.tinyLoaded(), TestRuns.state(1));
        new ModelExporter(new Configuration()).export(dir.resolve("runs/shapes").toString(), null, dir.resolve("models").toString(), "m");
        ModelSource source = new ModelSource(new Configuration());
        assertEquals(1, source.load(dir.resolve("models/m").toString()).round());
        flipAByte(dir.resolve("models/m/v0001/decoder.params.bin"));
        IOException e = assertThrows(IOException.class, () -> source.load(dir.resolve("models/m").toString()));
        assertTrue(e.getMessage().contains("models/m/v0001/decoder.params.bin") && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void anEditedModelCardIsRefusedToo(@TempDir Path dir) throws Exception {
        TestRuns.write(dir.resolve("runs"), "shapes", true, TestConfigs.tinyLoaded(), TestRuns.state(1));
        new ModelExporter(new Configuration()).export(dir.resolve("runs/shapes").toString(), null, dir.resolve("models").toString(), "m");
        Path card = dir.resolve("models/m/v0001/model.json");
        Files.writeString(card, Files.readString(card).replace("\"v0001\"", "\"v0009\""));
        Files.deleteIfExists(dir.resolve("models/m/v0001/.model.json.crc"));
        IOException e = assertThrows(IOException.class, () -> new ModelSource(new Configuration()).load(dir.resolve("models/m/v0001").toString()));
        assertTrue(e.getMessage().contains("model.json"), e.getMessage());
    }

    @Test
    void checkpointsWithoutTheirConfigTakeItFromRunJson(@TempDir Path dir) throws Exception {
        TestRuns.write(dir.resolve("runs"), "old", false, TestConfigs.tinyLoaded("model.latent=5"), TestRuns.state(1, "model.latent=5"));
        new ModelExporter(new Configuration()).export(dir.resolve("runs/old").toString(), "round-000001", dir.resolve("models").toString(), "old");
        assertEquals(5, JSON.readTree(dir.resolve("models/old/v0001/config.json").toFile()).path("model").path("latent").asInt());
    }

    @Test
    void badRunsCheckpointsAndNamesAreClearErrors(@TempDir Path dir) throws Exception {
        TestRuns.write(dir.resolve("runs"), "shapes", true, TestConfigs.tinyLoaded(), TestRuns.state(1), TestRuns.state(2));
        ModelExporter exporter = new ModelExporter(new Configuration());
        String models = dir.resolve("models").toString();
        String run = dir.resolve("runs/shapes").toString();

        ModelPathException missing = assertThrows(ModelPathException.class, () -> exporter.export(dir.resolve("runs/nope").toString(), null, models, "m"));
        assertTrue(missing.getMessage().contains("runs/nope") && missing.getMessage().contains("does not exist"), missing.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        ModelPathException notRun = assertThrows(ModelPathException.class, () -> exporter.export(dir.resolve("empty").toString(), null, models, "m"));
        assertTrue(notRun.getMessage().contains("not a run folder"), notRun.getMessage());
        ModelPathException noCheckpoint = assertThrows(ModelPathException.class, () -> exporter.export(run, "7", models, "m"));
        assertTrue(noCheckpoint.getMessage().contains("round-000007") && noCheckpoint.getMessage().contains("round-000002, round-000001"),
                noCheckpoint.getMessage());
        ModelPathException badName = assertThrows(ModelPathException.class, () -> exporter.export(run, null, models, "a/b"));
        assertTrue(badName.getMessage().contains("a/b"), badName.getMessage());
        assertFalse(Files.exists(dir.resolve("models")), "nothing is written when the export is refused");
    }

    @Test
    void exportsGoToAnyHadoopFileSystem(@TempDir Path dir) throws Exception {
        TestRuns.write(dir.resolve("runs"), "shapes", true, TestConfigs.tinyLoaded(), TestRuns.state(1));
        Configuration conf = new Configuration();
        conf.set("fs.failrename.impl", RenameFailingFileSystem.class.getName());
        conf.setBoolean("fs.failrename.impl.disable.cache", true);
        String models = "failrename://" + dir.resolve("remote-models");
        ModelExporter.Exported exported = new ModelExporter(conf).export("failrename://" + dir.resolve("runs/shapes"), null, models, "m");
        assertEquals("failrename", exported.version().toUri().getScheme());
        assertTrue(Files.isRegularFile(dir.resolve("remote-models/m/v0001/manifest.json")));
        TrainedModel model = new ModelSource(conf).load(models + "/m");
        assertEquals(TrainedModel.Shape.MODEL_FOLDER, model.shape());
        assertEquals("failrename", model.checkpoint().toUri().getScheme());
    }

    static void flipAByte(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 3);
            int b = raf.read();
            raf.seek(raf.length() - 3);
            raf.write(b ^ 0x5a);
        }
    }
}
