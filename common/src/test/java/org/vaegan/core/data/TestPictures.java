package org.vaegan.core.data;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Small pictures and data files written by tests: good ones and the bad-input corpus. */
public final class TestPictures {
    private TestPictures() {
    }

    /** A colourful picture whose pixels depend on (seed, x, y). */
    public static BufferedImage picture(int width, int height, int seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / Math.max(1, width - 1) + seed * 37) & 0xff;
                int g = (y * 255 / Math.max(1, height - 1) + seed * 11) & 0xff;
                int b = ((x + y) * 4 + seed * 53) & 0xff;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    public static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /** A JPEG whose 4 components the reader takes for CMYK (no Adobe marker). */
    public static byte[] cmykJpeg(int side) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, side, side, 4, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A 16-bit grey PNG. */
    public static byte[] sixteenBitPng(int side) throws IOException {
        return encode(new BufferedImage(side, side, BufferedImage.TYPE_USHORT_GRAY), "png");
    }

    /** A small PNG whose header claims {@code side x side} pixels (IHDR patched, CRC recomputed). */
    public static byte[] pngClaiming(int side) throws IOException {
        byte[] png = encode(picture(8, 8, 1), "png");
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), ... CRC after 13 data bytes.
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(side).putInt(side);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 4 + 13);
        java.nio.ByteBuffer.wrap(png, 12 + 4 + 13, 4).putInt((int) crc.getValue());
        return png;
    }

    public static byte[] truncated(byte[] file) {
        return Arrays.copyOf(file, file.length / 2);
    }

    /** An IDX file of unsigned bytes with the given dimensions. */
    public static void writeIdx(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            out.write(new byte[] {0, 0, 8, (byte) dims.length});
            for (int d : dims) {
                out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
            }
            out.write(data);
        }
    }
}
