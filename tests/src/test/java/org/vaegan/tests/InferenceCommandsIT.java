package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.data.ImagePixels;
import org.vaegan.core.data.Shard;
import org.vaegan.spark.cli.VaeganMain;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny model trained through the CLI, exported through the CLI, then every inference command run
 * through {@link VaeganMain#run} as a user would: each writes a PNG of the documented size, and the
 * trained model reconstructs its training images better than random noise.
 */
class InferenceCommandsIT {
    /** SMALL_MODEL's images are 16x16: a cell is 2 * 16 + 2 pixels. */
    private static final int CELL = 34;
    private static final long SEED = 42;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void trainAndExport() throws IOException {
        // 60 steps of the default objective leave reconstructions grey (measured: MSE 0.52 on the
        // training images, 0.35 on noise). The pixel term on top of L_llike and a higher learning
        // rate teach the dark backgrounds and coloured blobs in as many steps (0.20 against 0.39).
        List<String> sets = CliRun.with(CliRun.SMALL_MODEL, "output.dir=" + dir.resolve("runs"), "run.name=tiny",
                "train.seed=" + SEED, "train.rounds=12", "spark.averaging.steps=5", "optimizer.learning-rate=1e-3",
                "loss.pixel-weight=1", "output.sample-every-rounds=12");
        CliRun train = CliRun.train(sets);
        assertEquals(0, train.exitCode, train.stderr);
        writePictures(dir.resolve("train"), training(0, 32));
        writePictures(dir.resolve("noise"), noise(32));
        writePictures(dir.resolve("with"), training(1, 16));
        writePictures(dir.resolve("without"), noise(16));

        CliRun export = CliRun.run("export", "--run", dir.resolve("runs/tiny").toString(), "--models-dir", dir.resolve("models").toString());
        assertEquals(0, export.exitCode, export.stderr);
        assertTrue(export.stdout.contains("v0001"), export.stdout);
        CliRun again = CliRun.run("export", "--run", dir.resolve("runs/tiny").toString(), "--models-dir", dir.resolve("models").toString(),
                "--name", "tiny", "--checkpoint", "round-000012");
        assertEquals(0, again.exitCode, again.stderr);
        assertEquals("v0002", Files.readString(dir.resolve("models/tiny/LATEST")).trim());
        JsonNode card = JSON.readTree(dir.resolve("models/tiny/v0002/model.json").toFile());
        assertEquals(12, card.path("source").path("round").asInt());
        assertEquals(16, card.path("preprocessing").path("image-size").asInt());
        assertEquals(12, card.path("metrics").path("round").asInt());
    }

    @Test
    void sampleWritesASquareGridOfTheDocumentedSize() throws Exception {
        CliRun sample = CliRun.run("sample", "--model", dir.resolve("models/tiny").toString(), "--n", "10", "--seed", "3",
                "--out", dir.resolve("out/samples.png").toString());
        assertEquals(0, sample.exitCode, sample.stderr);
        assertSize(dir.resolve("out/samples.png"), 4 * CELL, 3 * CELL);
        byte[] first = Files.readAllBytes(dir.resolve("out/samples.png"));
        assertEquals(0, CliRun.run("sample", "--model", dir.resolve("models/tiny/v0001").toString(), "--n", "10", "--seed", "3",
                "--out", dir.resolve("out/again.png").toString()).exitCode);
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(dir.resolve("out/again.png"))), "same model and seed, same picture");
    }

    @Test
    void reconstructionsOfTrainingImagesBeatThoseOfNoise() throws Exception {
        CliRun shapes = CliRun.run("reconstruct", "--model", dir.resolve("models/tiny").toString(), "--images", dir.resolve("train").toString(),
                "--n", "20", "--out", dir.resolve("out/recon.png").toString());
        assertEquals(0, shapes.exitCode, shapes.stderr);
        assertSize(dir.resolve("out/recon.png"), 8 * CELL, 2 * 3 * CELL);
        CliRun noise = CliRun.run("reconstruct", "--model", dir.resolve("runs/tiny").toString(), "--images", dir.resolve("noise").toString(),
                "--n", "20", "--out", dir.resolve("out/noise.png").toString());
        assertEquals(0, noise.exitCode, noise.stderr);
        // Measured on the pictures themselves: originals' rows against their reconstructions' rows.
        double shapesError = pictureError(dir.resolve("out/recon.png"), 20);
        double noiseError = pictureError(dir.resolve("out/noise.png"), 20);
        assertTrue(shapesError < noiseError, "reconstruction MSE of training images " + shapesError + ", of noise " + noiseError
                + "\n" + shapes.stdout + noise.stdout);
        assertTrue(shapes.stdout.contains("mean squared error per pixel"), shapes.stdout);
    }

    @Test
    void interpolateWritesOneRow() throws Exception {
        CliRun interpolate = CliRun.run("interpolate", "--model", dir.resolve("models/tiny/v0002").toString(),
                "--from", dir.resolve("train/00000.png").toString(), "--to", dir.resolve("train/00001.png").toString(),
                "--steps", "6", "--out", dir.resolve("out/interp.png").toString());
        assertEquals(0, interpolate.exitCode, interpolate.stderr);
        assertSize(dir.resolve("out/interp.png"), (6 + 2) * CELL, CELL);
    }

    @Test
    void attributeWritesRowTriples() throws Exception {
        CliRun attribute = CliRun.run("attribute", "--model", dir.resolve("runs/tiny/checkpoints/round-000012").toString(),
                "--with", dir.resolve("with").toString(), "--without", dir.resolve("without").toString(),
                "--images", dir.resolve("train").toString(), "--n", "5", "--scale", "0.5", "--out", dir.resolve("out/attr.png").toString());
        assertEquals(0, attribute.exitCode, attribute.stderr);
        assertSize(dir.resolve("out/attr.png"), 5 * CELL, 3 * CELL);
        assertTrue(attribute.stdout.contains("16 images with it minus 16 without"), attribute.stdout);
    }

    @Test
    void badInputsAreOneLineErrors() throws Exception {
        CliRun missing = CliRun.run("sample", "--model", dir.resolve("nowhere").toString(), "--out", dir.resolve("out/x.png").toString());
        assertEquals(2, missing.exitCode);
        assertTrue(missing.stderr.startsWith("error: no model at ") && missing.stderr.contains("runs/NAME/checkpoints/round-000012"), missing.stderr);
        CliRun folder = CliRun.run("interpolate", "--model", dir.resolve("models/tiny").toString(), "--from", dir.resolve("train").toString(),
                "--to", dir.resolve("train/00001.png").toString(), "--out", dir.resolve("out/x.png").toString());
        assertEquals(2, folder.exitCode);
        assertTrue(folder.stderr.contains("--from: give one picture"), folder.stderr);
        for (CliRun c : List.of(missing, folder)) {
            assertFalse(c.stderr.contains("\tat "), c.stderr);
        }
        assertFalse(Files.exists(dir.resolve("out/x.png")));
    }

    /** The mean squared error (pixels in [-1, 1]) between the originals' cells and the reconstructions' cells of a grid. */
    private static double pictureError(Path png, int images) throws IOException {
        BufferedImage grid = ImageIO.read(png.toFile());
        double sum = 0;
        long count = 0;
        for (int i = 0; i < images; i++) {
            int x0 = (i % 8) * CELL;
            int y0 = (i / 8) * 2 * CELL;
            for (int y = 0; y < CELL - 2; y++) {
                for (int x = 0; x < CELL - 2; x++) {
                    int a = grid.getRGB(x0 + x, y0 + y);
                    int b = grid.getRGB(x0 + x, y0 + CELL + y);
                    for (int shift = 0; shift <= 16; shift += 8) {
                        double d = (((a >> shift) & 0xff) - ((b >> shift) & 0xff)) / 127.5;
                        sum += d * d;
                        count++;
                    }
                }
            }
        }
        return sum / count;
    }

    /** Partition {@code partition}'s synthetic training images of the run (same seed, size and count as it trained on). */
    private static BufferedImage[] training(int partition, int n) {
        Shard shard = Shard.synthetic(partition, 32, 3, 16, SEED);
        float[] pixels = shard.batch(IntStream.range(0, n).toArray()).data().asFloat();
        BufferedImage[] out = new BufferedImage[n];
        for (int i = 0; i < n; i++) {
            out[i] = ImagePixels.fromChw(pixels, i * 3 * 16 * 16, 3, 16);
        }
        return out;
    }

    /** Pictures of uniformly random pixels. */
    private static BufferedImage[] noise(int n) {
        Random random = new Random(7);
        BufferedImage[] out = new BufferedImage[n];
        for (int i = 0; i < n; i++) {
            out[i] = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    out[i].setRGB(x, y, random.nextInt(1 << 24));
                }
            }
        }
        return out;
    }

    private static void writePictures(Path folder, BufferedImage[] pictures) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < pictures.length; i++) {
            ImageIO.write(pictures[i], "png", folder.resolve(String.format("%05d.png", i)).toFile());
        }
    }

    private static void assertSize(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth(), "width of " + png);
        assertEquals(height, image.getHeight(), "height of " + png);
    }
}
