package org.vaegan.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 1/2 * sum((a - target)^2), summed over every element and the images of the batch. It is L_llike
 * (the paper's learned similarity, on Dis_l features) and the pixel-wise Gaussian likelihood
 * L_pixel (on images). The target receives no gradient.
 */
public final class SquaredError {
    private SquaredError() {
    }

    public static double value(INDArray a, INDArray target) {
        INDArray diff = a.sub(target);
        return 0.5 * diff.mul(diff).sumNumber().doubleValue();
    }

    /** d/da = a - target. */
    public static INDArray grad(INDArray a, INDArray target) {
        return a.sub(target);
    }
}
