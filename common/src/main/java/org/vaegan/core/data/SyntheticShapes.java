package org.vaegan.core.data;

import org.vaegan.core.state.SeedMixer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * The built-in dataset: one to three coloured shapes (disc, square, triangle) of random size and
 * position on a dark background. Image {@code i} depends only on (seed, i), so any partition can
 * draw its own share where it lives, and every run sees the same images.
 */
public final class SyntheticShapes {
    private final int size;
    private final int channels;
    private final long seed;

    public SyntheticShapes(int size, int channels, long seed) {
        if (size < 8) {
            throw new IllegalArgumentException("synthetic images need a size of at least 8 pixels, got " + size);
        }
        this.size = size;
        this.channels = channels;
        this.seed = seed;
    }

    /** Draws image {@code index} as an RGB picture. */
    public BufferedImage draw(long index) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, index));
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int bg = 16 + rnd.nextInt(32);
            g.setColor(new Color(bg, bg, bg));
            g.fillRect(0, 0, size, size);
            int shapes = 1 + rnd.nextInt(3);
            for (int s = 0; s < shapes; s++) {
                g.setColor(Color.getHSBColor((float) rnd.nextDouble(), 0.6f + 0.4f * (float) rnd.nextDouble(),
                        0.7f + 0.3f * (float) rnd.nextDouble()));
                int extent = size / 4 + rnd.nextInt(size / 2);
                int x = rnd.nextInt(size - extent + 1);
                int y = rnd.nextInt(size - extent + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> g.fillOval(x, y, extent, extent);
                    case 1 -> g.fillRect(x, y, extent, extent);
                    default -> g.fillPolygon(new Polygon(
                            new int[] {x, x + extent / 2, x + extent},
                            new int[] {y + extent, y, y + extent}, 3));
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Images {@code [first, first + count)} as float pixels in [-1, 1], NCHW order, one image
     * after another ({@code channels * size * size} values each).
     */
    public float[] pixels(long first, int count) {
        int perImage = channels * size * size;
        float[] out = new float[count * perImage];
        for (int n = 0; n < count; n++) {
            ImagePixels.toChw(draw(first + n), channels, out, n * perImage);
        }
        return out;
    }

    /** SplitMix64 finaliser of (seed, index): neighbouring indices give unrelated streams. */
    private static long mix(long seed, long index) {
        return SeedMixer.finalise(seed * 0x9E3779B97F4A7C15L + index);
    }
}
