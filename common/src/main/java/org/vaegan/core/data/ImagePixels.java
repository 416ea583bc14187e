package org.vaegan.core.data;

import java.awt.image.BufferedImage;

/** Conversion between pictures and the model's pixel layout: NCHW floats in [-1, 1]. */
public final class ImagePixels {
    private ImagePixels() {
    }

    /** Writes {@code img} as CHW floats in [-1, 1] at {@code offset}; 1 channel means grey (luma). */
    public static void toChw(BufferedImage img, int channels, float[] out, int offset) {
        int h = img.getHeight();
        int w = img.getWidth();
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int p = offset + y * w + x;
                if (channels == 1) {
                    out[p] = toUnit(0.299f * r + 0.587f * g + 0.114f * b);
                } else {
                    out[p] = toUnit(r);
                    out[p + plane] = toUnit(g);
                    out[p + 2 * plane] = toUnit(b);
                }
            }
        }
    }

    /** Reads image {@code n} of a CHW float batch (values in [-1, 1]) back into a picture. */
    public static BufferedImage fromChw(float[] pixels, int offset, int channels, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = offset + y * size + x;
                int r = toByte(pixels[p]);
                int g = channels == 1 ? r : toByte(pixels[p + plane]);
                int b = channels == 1 ? r : toByte(pixels[p + 2 * plane]);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static float toUnit(float v) {
        return v / 127.5f - 1f;
    }

    private static int toByte(float v) {
        float clamped = Math.max(-1f, Math.min(1f, Float.isNaN(v) ? 0f : v));
        return Math.round((clamped + 1f) * 127.5f);
    }
}
