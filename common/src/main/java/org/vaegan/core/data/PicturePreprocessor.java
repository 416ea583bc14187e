package org.vaegan.core.data;

import org.vaegan.core.config.PreprocessConfig;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/**
 * Turns a decoded picture into one training image: crop, colour conversion to the model's
 * channels, resize to the model's size, stored as CHW uint8 (0..255; the trainer maps to [-1, 1]).
 * The random flip is applied later, per drawn batch, so the cache holds each picture once.
 */
public final class PicturePreprocessor {
    private final PreprocessConfig config;
    private final int size;
    private final int channels;

    public PicturePreprocessor(PreprocessConfig config, int size, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        this.config = config;
        this.size = size;
        this.channels = channels;
    }

    public int imageBytes() {
        return channels * size * size;
    }

    /** The crop rectangle {top, left, height, width} of a picture, or a bad-input error naming the setting. */
    public int[] cropOf(int height, int width) throws BadInputException {
        switch (config.crop()) {
            case NONE:
                return new int[] {0, 0, height, width};
            case CENTRE: {
                int side = config.cropSize() == 0 ? Math.min(height, width) : config.cropSize();
                if (side > Math.min(height, width)) {
                    throw new BadInputException(width + "x" + height + " picture is smaller than the crop, " + config.cropKey());
                }
                return new int[] {(height - side) / 2, (width - side) / 2, side, side};
            }
            default: {
                PreprocessConfig.CropBox box = config.cropBox();
                if (box.top() + box.height() > height || box.left() + box.width() > width) {
                    throw new BadInputException(width + "x" + height + " picture does not contain the crop, " + config.cropKey());
                }
                return new int[] {box.top(), box.left(), box.height(), box.width()};
            }
        }
    }

    /** Writes the training image of {@code picture} (CHW uint8) into {@code out} at {@code offset}. */
    public void apply(BufferedImage picture, byte[] out, int offset) throws BadInputException {
        int[] crop = cropOf(picture.getHeight(), picture.getWidth());
        int h = crop[2];
        int w = crop[3];
        float[][] planes = planes(picture, crop);
        resizeInto(planes, h, w, out, offset);
    }

    /** The same for a grey picture given as row-major bytes (IDX records). */
    public void applyGrey(byte[] grey, int height, int width, byte[] out, int offset) throws BadInputException {
        int[] crop = cropOf(height, width);
        int h = crop[2];
        int w = crop[3];
        float[] plane = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                plane[y * w + x] = grey[(crop[0] + y) * width + crop[1] + x] & 0xff;
            }
        }
        float[][] planes = channels == 1 ? new float[][] {plane} : new float[][] {plane, plane, plane};
        resizeInto(planes, h, w, out, offset);
    }

    private void resizeInto(float[][] planes, int h, int w, byte[] out, int offset) {
        int plane = size * size;
        boolean same = h == size && w == size;
        Resampler resampler = same ? null : new Resampler(h, w, size, size, config.resize());
        float[] resized = new float[plane];
        for (int c = 0; c < channels; c++) {
            float[] src = planes[c];
            if (!same) {
                resampler.resize(src, resized);
                src = resized;
            }
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                out[base + i] = (byte) Math.max(0, Math.min(255, Math.round(src[i])));
            }
        }
    }

    /** The crop's pixels as float planes (0..255): one luma plane for grey models, R, G, B otherwise. */
    private float[][] planes(BufferedImage picture, int[] crop) {
        int top = crop[0];
        int left = crop[1];
        int h = crop[2];
        int w = crop[3];
        int n = h * w;
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        boolean grey;
        Raster raster = picture.getRaster();
        int type = picture.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            // Read samples directly: getRGB would apply the linear-grey to sRGB conversion.
            int[] samples = raster.getSamples(left, top, w, h, 0, (int[]) null);
            for (int i = 0; i < n; i++) {
                r[i] = samples[i];
            }
            grey = true;
        } else if (type == BufferedImage.TYPE_3BYTE_BGR && raster.getDataBuffer() instanceof DataBufferByte buffer
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
            // The JPEG decoder's usual output: read the interleaved bytes without per-pixel calls.
            byte[] data = buffer.getData();
            int stride = picture.getWidth() * 3;
            for (int y = 0; y < h; y++) {
                int src = (top + y) * stride + left * 3;
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    b[i] = data[src] & 0xff;
                    g[i] = data[src + 1] & 0xff;
                    r[i] = data[src + 2] & 0xff;
                    src += 3;
                }
            }
            grey = false;
        } else {
            int[] argb = picture.getRGB(left, top, w, h, null, 0, w);
            for (int i = 0; i < n; i++) {
                int p = argb[i];
                r[i] = (p >> 16) & 0xff;
                g[i] = (p >> 8) & 0xff;
                b[i] = p & 0xff;
            }
            grey = false;
        }
        if (grey) {
            return channels == 1 ? new float[][] {r} : new float[][] {r, r, r};
        }
        if (channels == 3) {
            return new float[][] {r, g, b};
        }
        float[] luma = new float[n];
        for (int i = 0; i < n; i++) {
            luma[i] = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
        }
        return new float[][] {luma};
    }
}
