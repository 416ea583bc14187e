package org.vaegan.core.eval;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Structural similarity (Wang et al. 2004) of images [n, C, S, S] with pixels in [-1, 1] (a data
 * range of 2): an 11x11 Gaussian window of sigma 1.5 (narrowed to the image for images below 11
 * pixels), K1 = 0.01, K2 = 0.03, over every position where the window fits, per channel; the mean
 * over positions, channels and images.
 */
public final class Ssim {
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double DATA_RANGE = 2;
    private static final double C1 = Math.pow(0.01 * DATA_RANGE, 2);
    private static final double C2 = Math.pow(0.03 * DATA_RANGE, 2);

    private Ssim() {
    }

    public static double mean(INDArray a, INDArray b) {
        Images x = Images.of(a);
        Images y = Images.of(b);
        x.requireSameShape(y);
        int window = Math.min(WINDOW, x.side());
        double[] w = gaussian(window);
        double sum = 0;
        for (int i = 0; i < x.count(); i++) {
            for (int c = 0; c < x.channels(); c++) {
                sum += ofPlane(x.plane(i, c), y.plane(i, c), x.side(), w, window);
            }
        }
        return sum / (x.count() * x.channels());
    }

    private static double ofPlane(float[] p, float[] q, int side, double[] w, int window) {
        int positions = side - window + 1;
        double sum = 0;
        for (int oy = 0; oy < positions; oy++) {
            for (int ox = 0; ox < positions; ox++) {
                double mx = 0;
                double my = 0;
                double xx = 0;
                double yy = 0;
                double xy = 0;
                for (int dy = 0; dy < window; dy++) {
                    for (int dx = 0; dx < window; dx++) {
                        double weight = w[dy] * w[dx];
                        int k = (oy + dy) * side + ox + dx;
                        mx += weight * p[k];
                        my += weight * q[k];
                        xx += weight * p[k] * p[k];
                        yy += weight * q[k] * q[k];
                        xy += weight * p[k] * q[k];
                    }
                }
                double vx = xx - mx * mx;
                double vy = yy - my * my;
                double cov = xy - mx * my;
                sum += ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
            }
        }
        return sum / (positions * positions);
    }

    /** A normalised 1-D Gaussian of {@code size} taps (the 2-D window is its outer product). */
    private static double[] gaussian(int size) {
        double[] w = new double[size];
        double centre = (size - 1) / 2.0;
        double total = 0;
        for (int i = 0; i < size; i++) {
            w[i] = Math.exp(-(i - centre) * (i - centre) / (2 * SIGMA * SIGMA));
            total += w[i];
        }
        for (int i = 0; i < size; i++) {
            w[i] /= total;
        }
        return w;
    }
}
