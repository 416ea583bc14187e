package org.vaegan.core.io;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaegan.core.data.ImagePixels;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * PNG pictures of a model. {@link #png}: on the left a square grid of samples from the prior, on
 * the right pairs of rows, real images above their reconstructions. {@link #rows}: images in rows
 * of a fixed number of cells. Every image is drawn at twice its size with a gap of
 * {@value #GAP} pixels after it: a cell is {@link #cell} pixels wide and high.
 */
public final class SampleGrid {
    private static final int GAP = 2;
    private static final int SCALE = 2;

    private SampleGrid() {
    }

    /**
     * @param samples         [g*g, C, S, S] decoded prior samples
     * @param originals       [g*g/2, C, S, S] real images
     * @param reconstructions reconstructions of {@code originals}, same shape
     * @param side            images per side of each block (g)
     */
    public static byte[] png(INDArray samples, INDArray originals, INDArray reconstructions, int side) throws IOException {
        int channels = (int) samples.size(1);
        int size = (int) samples.size(2);
        int cell = size * SCALE + GAP;
        int block = side * cell;
        BufferedImage out = new BufferedImage(2 * block + 4 * GAP, block, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            draw(g, samples, channels, size, side, 0, 0, cell);
            int pairs = side / 2;
            for (int r = 0; r < pairs; r++) {
                for (int c = 0; c < side; c++) {
                    int i = r * side + c;
                    if (i >= originals.size(0)) {
                        break;
                    }
                    int x = block + 4 * GAP + c * cell;
                    drawOne(g, originals, i, channels, size, x, (2 * r) * cell);
                    drawOne(g, reconstructions, i, channels, size, x, (2 * r + 1) * cell);
                }
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }

    /** Width and height in pixels of one image's cell: the image at twice its size and the gap after it. */
    public static int cell(int imageSize) {
        return imageSize * SCALE + GAP;
    }

    /**
     * Draws each entry of {@code rows} ([k, C, S, S], k at most {@code columns}) as one row of
     * cells, left-aligned on white: a picture of {@code columns * cell(S)} by
     * {@code rows.size() * cell(S)} pixels.
     */
    public static byte[] rows(List<INDArray> rows, int columns) throws IOException {
        if (rows.isEmpty() || columns <= 0) {
            throw new IllegalArgumentException("a grid needs at least one row and one column");
        }
        int channels = (int) rows.get(0).size(1);
        int size = (int) rows.get(0).size(2);
        int cell = cell(size);
        BufferedImage out = new BufferedImage(columns * cell, rows.size() * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int r = 0; r < rows.size(); r++) {
                INDArray row = rows.get(r);
                if (row.size(0) > columns) {
                    throw new IllegalArgumentException("row " + r + " has " + row.size(0) + " images, more than " + columns + " columns");
                }
                for (int c = 0; c < row.size(0); c++) {
                    drawOne(g, row, c, channels, size, c * cell, r * cell);
                }
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }

    private static void draw(Graphics2D g, INDArray images, int channels, int size, int side, int x0, int y0, int cell) {
        for (int i = 0; i < Math.min(images.size(0), (long) side * side); i++) {
            drawOne(g, images, i, channels, size, x0 + (i % side) * cell, y0 + (i / side) * cell);
        }
    }

    private static void drawOne(Graphics2D g, INDArray images, int i, int channels, int size, int x, int y) {
        float[] pixels = images.get(NDArrayIndex.point(i)).dup().data().asFloat();
        BufferedImage img = ImagePixels.fromChw(pixels, 0, channels, size);
        g.drawImage(img, x, y, size * SCALE, size * SCALE, null);
    }
}
