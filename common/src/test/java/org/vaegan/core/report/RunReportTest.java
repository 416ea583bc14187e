package org.vaegan.core.report;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.io.RunLayout;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportTest {
    @TempDir
    Path dir;

    @Test
    void reportHasEverySectionInlinesTheChartLibraryAndReferencesPicturesThatExist() throws Exception {
        Path run = dir.resolve("runs/r1");
        Files.createDirectories(run.resolve("samples"));
        Files.createDirectories(run.resolve("evaluation"));
        Files.writeString(run.resolve("run.json"), "{\"name\":\"r1\",\"config\":{\"vaegan\":{\"train\":{\"rounds\":2},"
                + "\"model\":{\"variant\":\"vaegan\",\"image-size\":16,\"channels\":3,\"latent\":8}}},\"data\":{\"source\":\"synthetic\"}}");
        Files.writeString(run.resolve("metrics.jsonl"),
                "{\"round\":1,\"step\":5,\"images\":80,\"images_per_s\":3.5,\"l_prior\":1.5,\"l_llike\":200.0,\"l_gan\":1.3,"
                        + "\"time_s\":{\"round\":2.5,\"compute_max\":2.0}}\n"
                        + "{\"round\":2,\"step\":10,\"images\":160,\"images_per_s\":3.7,\"l_prior\":1.2,\"l_llike\":180.0,\"l_gan\":1.35,"
                        + "\"time_s\":{\"round\":2.25,\"compute_max\":1.9}}\n");
        for (int round : new int[] {1, 2}) {
            ImageIO.write(new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB), "png",
                    run.resolve(String.format("samples/round-%06d.png", round)).toFile());
        }
        Files.writeString(run.resolve("evaluation/round-000002.json"), "{\"round\":2,\"reconstruction\":{\"mse\":0.0421,\"ssim\":0.61}}");

        org.apache.hadoop.fs.Path written = RunReport.write(RunLayout.of(run.toString(), new Configuration()));
        String html = Files.readString(Path.of(written.toUri()));

        for (String section : ReportHtml.SECTIONS) {
            assertTrue(html.contains("<section id=\"" + section + "\">"), "section " + section);
        }
        for (ReportHtml.Chart chart : ReportHtml.CHARTS) {
            assertTrue(html.contains("id=\"" + chart.id() + "\""), chart.id());
        }
        assertTrue(html.contains("function uPlot") || html.contains("uPlot="), "uPlot inlined");
        assertTrue(html.contains("0.04210"), "evaluation figure shown");
        assertTrue(html.contains("\"l_llike\":180.0"), "metrics embedded for the charts");
        assertTrue(html.contains("<th>last losses</th><td>L_prior 1.200, L_llike 180.0, L_GAN 1.350</td>"), "summary losses");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "nothing fetched from the network");
        Matcher img = Pattern.compile("<img[^>]* src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (img.find()) {
            BufferedImage decoded = ImageIO.read(run.resolve(img.group(1)).toFile());
            assertNotNull(decoded, img.group(1));
            assertEquals(20, decoded.getWidth());
            images++;
        }
        assertEquals(3, images, "the latest grid and one per round");
    }

    @Test
    void summaryShowsTheLossesOfTheRunsVariant() throws Exception {
        Path run = dir.resolve("runs/vae");
        Files.createDirectories(run);
        Files.writeString(run.resolve("run.json"), "{\"name\":\"vae\",\"config\":{\"vaegan\":{\"train\":{\"rounds\":2},"
                + "\"model\":{\"variant\":\"vae\"}}}}");
        Files.writeString(run.resolve("metrics.jsonl"), "{\"round\":1,\"step\":5,\"images\":80,\"l_prior\":1.5,"
                + "\"l_llike\":0.0,\"l_pixel\":0.25,\"l_gan\":0.0,\"time_s\":{\"round\":2.5}}\n");
        RunReport.write(RunLayout.of(run.toString(), new Configuration()));
        String html = Files.readString(run.resolve("report.html"));
        Matcher row = Pattern.compile("<th>last losses</th><td>([^<]*)</td>").matcher(html);
        assertTrue(row.find(), "summary row of the losses");
        assertEquals("L_prior 1.500, L_pixel 0.2500", row.group(1));
    }

    @Test
    void reportOfAnEmptyRunFolderSaysSoInEverySection() throws Exception {
        Path run = dir.resolve("runs/empty");
        Files.createDirectories(run);
        RunReport.write(RunLayout.of(run.toString(), new Configuration()));
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("No round has finished yet"));
        assertTrue(html.contains("No sample grid yet"));
        assertTrue(html.contains("No evaluation yet"));
    }
}
