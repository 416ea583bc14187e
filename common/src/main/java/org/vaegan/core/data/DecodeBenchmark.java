package org.vaegan.core.data;

import org.vaegan.core.config.PreprocessConfig;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of the input pipeline's CPU work: JPEG bytes in memory -> javax.imageio decode ->
 * crop, resize, uint8 CHW, the work {@link ShardDecoder} does per file (reading the file and
 * appending to the cache are not included). Pictures are drawn shapes with noise, so the JPEG
 * decoder sees realistic entropy rather than flat colour.
 */
public final class DecodeBenchmark {
    /** One measured configuration. */
    public record Result(String name, int threads, long images, double seconds) {
        public double imagesPerSecond() {
            return images / seconds;
        }

        public double perThread() {
            return imagesPerSecond() / threads;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%-40s %d thread%s: %8.0f images/s (%6.0f per core)", name, threads,
                    threads == 1 ? " " : "s", imagesPerSecond(), perThread());
        }
    }

    private final double secondsPerMeasurement;

    public DecodeBenchmark(double secondsPerMeasurement) {
        this.secondsPerMeasurement = secondsPerMeasurement;
    }

    /** 64x64 JPEGs made into 64x64 RGB training images (the paper's model input, no crop). */
    public Result small(int threads) {
        PreprocessConfig none = new PreprocessConfig("none", PreprocessConfig.Crop.NONE, 0,
                new PreprocessConfig.CropBox(0, 0, 1, 1), PreprocessConfig.Resize.AUTO, false, 8);
        return measure("64x64 JPEG -> 64x64x3", pictures(64, 64, 128), none, threads);
    }

    /** CelebA-sized 178x218 JPEGs through the celeba preset (148x148 box, area resize to 64x64). */
    public Result celeba(int threads) {
        PreprocessConfig celeba = new PreprocessConfig("celeba", PreprocessConfig.Crop.NONE, 0,
                new PreprocessConfig.CropBox(0, 0, 1, 1), PreprocessConfig.Resize.AUTO, false, 8);
        return measure("178x218 JPEG -> celeba crop -> 64x64x3", pictures(178, 218, 64), celeba, threads);
    }

    private Result measure(String name, List<byte[]> files, PreprocessConfig preprocess, int threads) {
        run(files, preprocess, 1, Math.min(1.0, secondsPerMeasurement)); // warm-up: JIT, ImageIO registry
        long began = System.nanoTime();
        long images = run(files, preprocess, threads, secondsPerMeasurement);
        return new Result(name, threads, images, (System.nanoTime() - began) / 1e9);
    }

    private static long run(List<byte[]> files, PreprocessConfig preprocess, int threads, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                workers.add(pool.submit(() -> {
                    PictureDecoder decoder = new PictureDecoder(preprocess.minSide());
                    PicturePreprocessor preprocessor = new PicturePreprocessor(preprocess, 64, 3);
                    byte[] out = new byte[preprocessor.imageBytes()];
                    for (int i = offset; System.nanoTime() < deadline; i++) {
                        try {
                            preprocessor.apply(decoder.decode(files.get(i % files.size())), out, 0);
                        } catch (BadInputException e) {
                            throw new IllegalStateException("a generated picture is bad input: " + e.getMessage(), e);
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("decode benchmark failed", e);
        } finally {
            pool.shutdownNow();
        }
        return done.get();
    }

    /** JPEG files (quality 0.75, ImageIO's default) of shapes on a noisy background. */
    static List<byte[]> pictures(int width, int height, int count) {
        SplittableRandom rnd = new SplittableRandom(7);
        List<byte[]> files = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int base = (x * 3 + y * 2 + n * 17) & 0xff;
                    int noise = rnd.nextInt(48);
                    img.setRGB(x, y, (Math.min(255, base / 2 + noise) << 16) | (Math.min(255, 64 + noise) << 8) | (255 - base) / 2);
                }
            }
            Graphics2D g = img.createGraphics();
            for (int s = 0; s < 3; s++) {
                g.setColor(new Color(rnd.nextInt(1 << 24)));
                int w = width / 4 + rnd.nextInt(width / 3);
                int h = height / 4 + rnd.nextInt(height / 3);
                g.fillOval(rnd.nextInt(width - w), rnd.nextInt(height - h), w, h);
            }
            g.dispose();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                ImageIO.write(img, "jpg", bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(bytes.toByteArray());
        }
        return files;
    }
}
