package org.vaegan.core.infer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaegan.core.io.SampleGrid;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The PNG grids of the inference commands. Every image is drawn at twice its size S in a cell of
 * c = 2S + 2 pixels ({@link SampleGrid#cell}), so for n images:
 * <ul>
 *   <li>samples: k = ceil(sqrt(n)) columns and ceil(n / k) rows: k c x ceil(n / k) c pixels;</li>
 *   <li>reconstructions: per {@value #COLUMNS} images a row of originals above a row of their
 *       reconstructions: min(n, 8) c x 2 ceil(n / 8) c;</li>
 *   <li>interpolation: one row, the first picture, the decoded points from its code to the
 *       second's (both ends included), the second picture: (steps + 2) c x c;</li>
 *   <li>attribute edits: per 8 images a row of originals, a row of reconstructions and a row of
 *       edited images: min(n, 8) c x 3 ceil(n / 8) c.</li>
 * </ul>
 */
public final class InferencePictures {
    /** Images per row of the reconstruction and attribute grids. */
    public static final int COLUMNS = 8;

    private final ModelInference model;

    public InferencePictures(ModelInference model) {
        this.model = model;
    }

    /** A PNG grid and its size in pixels. */
    public record Picture(byte[] png, int width, int height) {
        static Picture of(byte[] png) {
            try {
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
                return new Picture(png, image.getWidth(), image.getHeight());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read back the PNG just drawn", e);
            }
        }
    }

    /** A reconstruction grid and the mean squared error per pixel (pixels in [-1, 1]) of the reconstructions. */
    public record Reconstructions(Picture picture, double meanSquaredError) {
    }

    /** {@code n} images decoded from prior codes drawn with {@code seed}. */
    public Picture samples(int n, long seed) throws IOException {
        int columns = (int) Math.ceil(Math.sqrt(n));
        INDArray images = model.decode(model.priorCodes(n, seed));
        return Picture.of(SampleGrid.rows(chunks(images, columns), columns));
    }

    /** {@code images} [n, C, S, S] above their reconstructions. */
    public Reconstructions reconstructions(INDArray images) throws IOException {
        INDArray reconstructed = model.reconstruct(images);
        return new Reconstructions(interleaved(List.of(images, reconstructed)),
                ModelInference.meanSquaredError(images, reconstructed));
    }

    /** One row: {@code from}, {@code steps} decoded points between their codes, {@code to} (each [1, C, S, S]). */
    public Picture interpolation(INDArray from, INDArray to, int steps) throws IOException {
        INDArray row = Nd4j.concat(0, from, model.interpolate(from, to, steps), to);
        return Picture.of(SampleGrid.rows(List.of(row), steps + 2));
    }

    /** {@code images} above their reconstructions above their codes moved by {@code scale} times {@code vector}. */
    public Picture attributeEdits(INDArray images, INDArray vector, double scale) throws IOException {
        return interleaved(List.of(images, model.reconstruct(images), model.edit(images, vector, scale)));
    }

    /** Per {@value #COLUMNS} images, one row from each of {@code sets} (same length each). */
    private static Picture interleaved(List<INDArray> sets) throws IOException {
        List<List<INDArray>> chunked = new ArrayList<>();
        for (INDArray set : sets) {
            chunked.add(chunks(set, COLUMNS));
        }
        List<INDArray> rows = new ArrayList<>();
        for (int r = 0; r < chunked.get(0).size(); r++) {
            for (List<INDArray> set : chunked) {
                rows.add(set.get(r));
            }
        }
        return Picture.of(SampleGrid.rows(rows, (int) Math.min(COLUMNS, sets.get(0).size(0))));
    }

    private static List<INDArray> chunks(INDArray images, int columns) {
        List<INDArray> rows = new ArrayList<>();
        for (long from = 0; from < images.size(0); from += columns) {
            rows.add(images.get(NDArrayIndex.interval(from, Math.min(images.size(0), from + columns))).dup());
        }
        return rows;
    }
}
