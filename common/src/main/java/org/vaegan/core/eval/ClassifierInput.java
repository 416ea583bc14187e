package org.vaegan.core.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Any model's images [n, C, S, S] in [-1, 1] as the Fashion-MNIST classifier's input
 * [n, 1, 28, 28]: luma (as the data preprocessing computes grey), then a bilinear resize with
 * pixel centres aligned. Real and generated images pass through the same mapping, so distances
 * between them stay comparable; 28x28 grey images pass unchanged.
 */
public final class ClassifierInput {
    public static final int SIDE = 28;

    private ClassifierInput() {
    }

    public static INDArray of(INDArray batch) {
        Images images = Images.of(batch);
        int s = images.side();
        float[] out = new float[images.count() * SIDE * SIDE];
        for (int i = 0; i < images.count(); i++) {
            float[] y = images.luma(i);
            if (s == SIDE) {
                System.arraycopy(y, 0, out, i * SIDE * SIDE, y.length);
                continue;
            }
            double scale = s / (double) SIDE;
            for (int oy = 0; oy < SIDE; oy++) {
                double sy = clamp((oy + 0.5) * scale - 0.5, s);
                int y0 = (int) Math.floor(sy);
                int y1 = Math.min(y0 + 1, s - 1);
                double fy = sy - y0;
                for (int ox = 0; ox < SIDE; ox++) {
                    double sx = clamp((ox + 0.5) * scale - 0.5, s);
                    int x0 = (int) Math.floor(sx);
                    int x1 = Math.min(x0 + 1, s - 1);
                    double fx = sx - x0;
                    double top = y[y0 * s + x0] * (1 - fx) + y[y0 * s + x1] * fx;
                    double bottom = y[y1 * s + x0] * (1 - fx) + y[y1 * s + x1] * fx;
                    out[i * SIDE * SIDE + oy * SIDE + ox] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return Nd4j.create(out, new long[] {images.count(), 1, SIDE, SIDE}, 'c');
    }

    private static double clamp(double v, int side) {
        return Math.max(0, Math.min(v, side - 1));
    }
}
