package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.vaegan.core.data.ImagePixels;
import org.vaegan.core.data.Shard;
import org.vaegan.core.eval.FashionMnist;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short run's report.html through the CLI: written by training with every section, its
 * pictures present and decodable, rewritten by {@code report}, given an evaluation section by
 * {@code evaluate}, and rendered by a headless Chromium without script errors when one is
 * installed (CI installs Debian's chromium).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SECTIONS = {"summary", "losses", "samples", "evaluation", "timings", "config"};
    private static final int CHARTS = 10;

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainShortRun() throws IOException {
        run = dir.resolve("runs/short");
        CliRun train = CliRun.train(CliRun.with(CliRun.SMALL_MODEL, "output.dir=" + dir.resolve("runs"), "run.name=short",
                "train.rounds=3", "spark.averaging.steps=2", "output.sample-every-rounds=1", "checkpoint.every-rounds=1"));
        assertEquals(0, train.exitCode, train.stderr);
        Files.createDirectories(dir.resolve("held-out"));
        Shard shard = Shard.synthetic(9, 24, 3, 16, 5);
        float[] pixels = shard.batch(IntStream.range(0, 24).toArray()).data().asFloat();
        for (int i = 0; i < 24; i++) {
            ImageIO.write(ImagePixels.fromChw(pixels, i * 3 * 16 * 16, 3, 16), "png",
                    dir.resolve(String.format("held-out/%03d.png", i)).toFile());
        }
    }

    @Test
    @Order(1)
    void metricsLinesHoldEveryDocumentedField() throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        for (String text : lines) {
            JsonNode line = JSON.readTree(text);
            for (String field : List.of("round", "step", "images", "images_per_s", "learning_rate", "l_prior", "l_llike", "l_pixel",
                    "l_gan", "l_generator", "d_real", "d_fake", "skipped_steps", "replicas_built", "gate.discriminator_updated",
                    "gate.decoder_updated", "gate.discriminator_skipped", "gate.decoder_skipped", "time_s.round", "time_s.compute_max",
                    "time_s.compute_min", "time_s.straggler_ratio", "time_s.average", "time_s.broadcast_and_aggregate",
                    "time_s.broadcast_fetch_max", "time_s.samples", "traffic_mib.broadcast_state", "traffic_mib.partition_results",
                    "driver_memory_mib.rss", "driver_memory_mib.peak_rss", "driver_memory_mib.nd4j_off_heap",
                    "driver_memory_mib.heap_committed", "executor_memory_mib.rss_max", "executor_memory_mib.peak_rss_max")) {
                JsonNode value = line.at("/" + field.replace('.', '/'));
                assertFalse(value.isMissingNode(), field + " missing in " + text);
            }
            assertTrue(line.at("/time_s/samples").asDouble() > 0, "every round drew samples: " + text);
            assertTrue(line.at("/executor_memory_mib/peak_rss_max").asLong() > 0, text);
        }
    }

    @Test
    @Order(2)
    void trainingWritesAReportWithEverySectionAndDecodablePictures() throws IOException {
        String html = Files.readString(run.resolve("report.html"));
        assertEverySectionAndPictures(html, 3);
        assertTrue(html.contains("No evaluation yet"), "no evaluation before evaluate");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "nothing is fetched from the network");
    }

    @Test
    @Order(3)
    void reportCommandRewritesTheReportAndNamesABadFolder() throws IOException {
        Files.delete(run.resolve("report.html"));
        CliRun report = CliRun.run("report", "--run", run.toString());
        assertEquals(0, report.exitCode, report.stderr);
        assertEverySectionAndPictures(Files.readString(run.resolve("report.html")), 3);

        CliRun missing = CliRun.run("report", "--run", dir.resolve("runs/none").toString());
        assertEquals(2, missing.exitCode);
        assertTrue(missing.stderr.contains("runs/none is not a run folder"), missing.stderr);
    }

    @Test
    @Order(4)
    void evaluateWritesFiguresAndTheReportShowsThem() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIR)),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): evaluate's classifier cannot be trained; skipped");
        Path classifier = dir.resolve("classifier");
        // A few hundred images keep the test fast; evaluate then finds it cached.
        CliRun trained = CliRun.run("train-classifier", "--classifier", classifier.toString(), "--images", "400", "--epochs", "2");
        assertEquals(0, trained.exitCode, trained.stderr);
        assertTrue(trained.stdout.contains("test accuracy"), trained.stdout);

        CliRun evaluate = CliRun.run("evaluate", "--model", run.toString(), "--data", dir.resolve("held-out").toString(), "--n", "20",
                "--classifier", classifier.toString(), "--out", dir.resolve("eval/figures.json").toString());
        assertEquals(0, evaluate.exitCode, evaluate.stderr);
        JsonNode figures = JSON.readTree(dir.resolve("eval/figures.json").toFile());
        assertEquals(3, figures.path("round").asInt());
        assertEquals(20, figures.path("images").asInt());
        for (String field : List.of("reconstruction/mse", "reconstruction/ssim", "laplacian_variance/real", "laplacian_variance/samples",
                "laplacian_variance/reconstructions", "frechet_distance/samples", "frechet_distance/reconstructions",
                "frechet_distance/real_halves", "classifier/reconstructions_keep_class")) {
            assertTrue(figures.at("/" + field).isNumber(), field + " in " + figures);
        }
        double ssim = figures.at("/reconstruction/ssim").asDouble();
        assertTrue(ssim > -1 && ssim < 1, "SSIM of a 6-step model's reconstructions: " + ssim);
        assertTrue(figures.at("/frechet_distance/samples").asDouble() > 0);
        assertEquals(figures, JSON.readTree(run.resolve("evaluation/round-000003.json").toFile()), "the run keeps the same figures");

        String html = Files.readString(run.resolve("report.html"));
        assertEverySectionAndPictures(html, 3);
        assertFalse(html.contains("No evaluation yet"));
        assertTrue(html.contains("frechet_distance.samples"), "the evaluation table names its columns");

        CliRun badModel = CliRun.run("evaluate", "--model", dir.resolve("runs/none").toString(), "--data", dir.resolve("held-out").toString(),
                "--classifier", classifier.toString());
        assertEquals(2, badModel.exitCode);
        assertTrue(badModel.stderr.contains("runs/none"), badModel.stderr);
    }

    @Test
    @Order(5)
    void headlessChromiumRendersTheReportWithoutErrors() throws Exception {
        Optional<String> chromium = Stream.of("chromium", "chromium-headless-shell", "google-chrome", "chromium-browser")
                .filter(ReportIT::onPath).findFirst();
        Assumptions.assumeTrue(chromium.isPresent(),
                "no Chromium on PATH (apt-get install chromium): the report's rendering test is skipped");
        String url = run.resolve("report.html").toUri().toString();
        Path screenshot = dir.resolve("report.png");
        List<String> common = List.of(chromium.get(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--virtual-time-budget=5000");
        List<String> shot = new ArrayList<>(common);
        shot.addAll(List.of("--window-size=1280,2000", "--screenshot=" + screenshot, url));
        assertEquals(0, runProcess(shot, dir.resolve("shot.log")), Files.readString(dir.resolve("shot.log")));
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertNotNull(image, "the screenshot decodes");
        assertEquals(1280, image.getWidth());
        assertTrue(distinctColours(image) > 20, "the screenshot shows more than a blank page");

        List<String> dump = new ArrayList<>(common);
        dump.addAll(List.of("--dump-dom", url));
        Path dom = dir.resolve("dom.html");
        assertEquals(0, runProcess(dump, dom), Files.readString(dom));
        String rendered = Files.readString(dom);
        assertTrue(rendered.contains("data-charts-drawn=\"" + CHARTS + "\""), "every chart drawn; report errors: " + errors(rendered));
        assertEquals("", errors(rendered), "script errors");
        assertTrue(rendered.contains("<canvas"), "uPlot drew on canvases");
    }

    private static void assertEverySectionAndPictures(String html, int grids) throws IOException {
        for (String section : SECTIONS) {
            assertTrue(html.contains("<section id=\"" + section + "\">"), "section " + section);
        }
        Matcher img = Pattern.compile("<img[^>]* src=\"([^\"]+)\"").matcher(html);
        List<String> sources = new ArrayList<>();
        while (img.find()) {
            sources.add(img.group(1));
            File file = run.resolve(img.group(1)).toFile();
            assertTrue(file.isFile(), img.group(1) + " exists next to the report");
            BufferedImage decoded = ImageIO.read(file);
            assertNotNull(decoded, img.group(1) + " decodes");
            assertTrue(decoded.getWidth() > 0 && decoded.getHeight() > 0);
        }
        assertEquals(grids + 1, sources.size(), "the latest grid and one per round: " + sources);
        assertTrue(sources.contains("samples/round-000003.png"), sources.toString());
    }

    private static String errors(String dom) {
        Matcher m = Pattern.compile("<pre id=\"report-errors\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        return m.find() ? m.group(1).strip() : "(no report-errors element)";
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command with its output into {@code log}; its exit code (a minute at most). */
    private static int runProcess(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).redirectOutput(log.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("chromium-stderr.log").toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s: " + command + "\n"
                    + Files.readString(dir.resolve("chromium-stderr.log"), StandardCharsets.UTF_8));
        }
        return p.exitValue();
    }
}
