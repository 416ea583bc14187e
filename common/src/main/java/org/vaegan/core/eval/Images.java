package org.vaegan.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** A batch [n, C, S, S] of square images copied to a plain float array, read plane by plane. */
record Images(float[] pixels, int count, int channels, int side) {
    static Images of(INDArray batch) {
        if (batch.rank() != 4 || batch.size(2) != batch.size(3)) {
            throw new IllegalArgumentException("expected square images [n, C, S, S], got " + Arrays.toString(batch.shape()));
        }
        return new Images(batch.castTo(DataType.FLOAT).dup('c').data().asFloat(), (int) batch.size(0), (int) batch.size(1),
                (int) batch.size(2));
    }

    float[] plane(int image, int channel) {
        int n = side * side;
        int from = (image * channels + channel) * n;
        return Arrays.copyOfRange(pixels, from, from + n);
    }

    /** Luma (0.299 R + 0.587 G + 0.114 B, as the data preprocessing) of one image, or its only plane. */
    float[] luma(int image) {
        if (channels == 1) {
            return plane(image, 0);
        }
        float[] r = plane(image, 0);
        float[] g = plane(image, 1);
        float[] b = plane(image, 2);
        float[] y = new float[r.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
        }
        return y;
    }

    void requireSameShape(Images other) {
        if (count != other.count || channels != other.channels || side != other.side) {
            throw new IllegalArgumentException("image batches differ in shape: " + count + "x" + channels + "x" + side + "x" + side
                    + " and " + other.count + "x" + other.channels + "x" + other.side + "x" + other.side);
        }
    }
}
