package org.vaegan.core.eval;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sharpness as the variance of the Laplacian (Pech-Pacheco et al. 2000): the 3x3 kernel
 * [0 1 0; 1 -4 1; 0 1 0] over the interior of each image's luma, pixels mapped from [-1, 1] to
 * [0, 1]; the mean over images. Blur lowers it; pixel-wise VAEs score below real images.
 */
public final class LaplacianVariance {
    private LaplacianVariance() {
    }

    public static double mean(INDArray batch) {
        Images images = Images.of(batch);
        if (images.side() < 3) {
            throw new IllegalArgumentException("the Laplacian needs images of 3x3 pixels or more, got " + images.side());
        }
        double sum = 0;
        for (int i = 0; i < images.count(); i++) {
            sum += ofPlane(images.luma(i), images.side());
        }
        return sum / images.count();
    }

    private static double ofPlane(float[] p, int side) {
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int y = 1; y < side - 1; y++) {
            for (int x = 1; x < side - 1; x++) {
                int k = y * side + x;
                // [-1, 1] -> [0, 1] scales the Laplacian by 1/2.
                double lap = 0.5 * (p[k - side] + p[k + side] + p[k - 1] + p[k + 1] - 4 * p[k]);
                sum += lap;
                sumSq += lap * lap;
                n++;
            }
        }
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }
}
