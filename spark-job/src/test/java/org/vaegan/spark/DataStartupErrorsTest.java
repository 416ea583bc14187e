package org.vaegan.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.spark.cli.VaeganMain;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What `train` says, through the CLI on local Spark, when the data cannot be used. */
class DataStartupErrorsTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int train(Path out, String... sets) {
        String[] args = new String[5 + 2 * sets.length];
        args[0] = "train";
        args[1] = "--set";
        args[2] = "spark.master=local[2]";
        args[3] = "--set";
        args[4] = "output.dir=" + out;
        for (int i = 0; i < sets.length; i++) {
            args[5 + 2 * i] = "--set";
            args[6 + 2 * i] = sets[i];
        }
        System.setProperty("spark.ui.enabled", "false");
        return VaeganMain.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aMissingPathIsAConfigErrorNamingKeyAndPath(@TempDir Path tmp) {
        assertEquals(2, train(tmp, "data.source=images", "data.path=" + tmp.resolve("nowhere")));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("vaegan.data.path") && e.contains("nowhere"), e);
        assertFalse(e.contains("\tat "), "no stack trace: " + e);
    }

    @Test
    void tooManyBadFilesStopTheJobListingThem(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("pictures");
        Files.createDirectories(data);
        for (int i = 0; i < 16; i++) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", png);
            Files.write(data.resolve("good" + i + ".png"), png.toByteArray());
        }
        Files.write(data.resolve("broken.jpg"), new byte[] {1, 2, 3});
        assertEquals(1, train(tmp, "data.source=images", "data.path=" + data, "train.batch-size=4", "model.image-size=16",
                "model.encoder-widths=[8, 16]", "model.decoder-widths=[16, 8]", "model.discriminator-widths=[8, 16, 16]",
                "model.dis-l-layer=2"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("error: data: 1 of 17 files") && e.contains("broken.jpg: not a picture")
                && e.contains("vaegan.data.max-bad-fraction"), e);
    }
}
